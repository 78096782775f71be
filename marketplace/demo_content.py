"""Words for the demo data: fictional employers, job templates and the ways people describe
their skills. Every organisation name here is invented."""

from marketplace.types import OpportunityKind as K
from marketplace.types import Sector as S

# (name, sector, alliance level, size, home postcode area)
EMPLOYERS = [
    ("Northgate Logistics", S.LOGISTICS, 3, "large", "LS"),
    ("Aire Valley Builders", S.CONSTRUCTION, 3, "medium", "LS"),
    ("Pennine Kitchens", S.HOSPITALITY, 3, "medium", "M"),
    ("Brightwell Facilities", S.FACILITIES, 3, "large", "B"),
    ("Riverside Recycling Co-operative", S.FACILITIES, 2, "small", "S"),
    ("Canal Street Coffee", S.HOSPITALITY, 2, "small", "M"),
    ("Midland Fabrications", S.MANUFACTURING, 3, "medium", "B"),
    ("Thames Rail Services", S.CONSTRUCTION, 3, "large", "SE"),
    ("Keystone Cobblers", S.RETAIL, 3, "large", "NG"),
    ("Greenway Grounds", S.LAND, 2, "small", "BS"),
    ("Tyne Print Works", S.MANUFACTURING, 2, "small", "NE"),
    ("Mersey Motors", S.TRANSPORT, 3, "medium", "L"),
    ("Fresh Start Bakery", S.HOSPITALITY, 2, "micro", "LS"),
    ("Code Forward", S.IT, 2, "small", "M"),
    ("Open Door Care", S.CARE, 3, "large", "BS"),
    ("Steel City Scaffolding", S.CONSTRUCTION, 3, "medium", "S"),
    ("Harbour Hotels Group", S.HOSPITALITY, 3, "large", "CF"),
    ("Second Gear Cycles", S.RETAIL, 1, "micro", "BS"),
    ("Lantern Arts Trust", S.ARTS, 1, "micro", "N"),
    ("Crownhill Contact Centres", S.BUSINESS, 3, "large", "NE"),
    ("Valley Utilities Partnership", S.UTILITIES, 2, "large", "CF"),
    ("Fairline Barbers", S.HAIR_BEAUTY, 1, "micro", "L"),
    ("Summit Mentoring Network", S.BUSINESS, 1, "small", "B"),
    # Two that are waiting for an administrator.
    ("Oakbridge Removals", S.LOGISTICS, 3, "small", "NG"),
    ("Quayside Catering", S.HOSPITALITY, 2, "small", "NE"),
]

# Per sector: (title, skills text, description, qualifications wanted, required skill codes)
JOBS = {
    S.LOGISTICS: [
        ("Warehouse operative", "picking, packing, stock control, manual handling",
         "Pick and pack customer orders in our distribution centre. Full training given.",
         "", []),
        ("Forklift driver", "forklift counterbalance, loading bays, stock control",
         "Load and unload lorries and move stock around the warehouse safely.",
         "Counterbalance forklift licence", ["forklift"]),
        ("Delivery driver", "delivery driver, customer service, full driving licence",
         "Multi-drop van deliveries across the local area.", "Full UK driving licence",
         ["driving_licence"]),
    ],
    S.CONSTRUCTION: [
        ("Site labourer", "labouring, manual handling, health and safety, cscs card",
         "General labouring on housing sites: moving materials, keeping the site safe.",
         "CSCS card", ["cscs_card"]),
        ("Trainee bricklayer", "bricklaying, blockwork, teamwork",
         "Learn bricklaying alongside experienced brickies on new-build homes.", "", []),
        ("Painter and decorator", "painting and decorating, dry lining, reliable",
         "Painting and decorating in new homes and offices.", "", ["painting_decorating"]),
        ("Scaffolder's mate", "scaffolding, working at height, manual handling",
         "Help our scaffolding teams put up and take down scaffolds.", "CSCS card", []),
        ("Rail track operative", "rail track maintenance, personal track safety, teamwork",
         "Night shifts maintaining the rail network. We pay for your PTS card.", "", []),
    ],
    S.HOSPITALITY: [
        ("Commis chef", "cooking, food preparation, food hygiene level 2",
         "Cook fresh food in a busy kitchen under our head chef.", "Food hygiene level 2",
         ["food_hygiene"]),
        ("Kitchen porter", "kitchen porter, cleaning, teamwork",
         "Keep the kitchen clean and help with food prep.", "", []),
        ("Barista", "barista, customer service, cash handling",
         "Make great coffee and serve customers in our cafe.", "", []),
        ("Room attendant", "hotel housekeeping, cleaning, reliable",
         "Clean and prepare guest rooms to a high standard.", "", []),
        ("Bakery assistant", "baking, food hygiene, early starts",
         "Bake bread and pastries from 5am. Training given.", "", []),
    ],
    S.FACILITIES: [
        ("Office cleaner", "office cleaning, reliable, time keeping",
         "Evening office cleaning in the city centre.", "", []),
        ("Recycling operative", "waste sorting, recycling, manual handling",
         "Sort and process materials at our recycling centre.", "", []),
        ("Caretaker", "building maintenance, handyman, health and safety",
         "Look after our buildings: small repairs, checks and keeping things tidy.", "", []),
    ],
    S.MANUFACTURING: [
        ("Welder fabricator", "mig welding, fabrication, reading drawings",
         "Weld and fabricate steel parts for agricultural machines.", "", ["welding"]),
        ("Production operative", "assembly, machine operator, quality checks",
         "Work on our production line assembling parts.", "", []),
        ("Print finisher", "printing, machine operation, quality control",
         "Run finishing machines and check print quality.", "", []),
    ],
    S.RETAIL: [
        ("Trainee shoe repairer and key cutter", "key cutting, shoe repair, customer service",
         "Learn our trade in one of our high street shops.", "", []),
        ("Sales assistant", "customer service, cash handling, shelf filling",
         "Serve customers and keep the shop looking good.", "", []),
        ("Bike mechanic", "bike repair, customer service",
         "Service and repair bikes in our workshop.", "", ["bike_repair"]),
    ],
    S.LAND: [
        ("Grounds maintenance operative", "grounds maintenance, grass cutting, landscaping",
         "Look after parks and gardens across the city.", "", ["horticulture"]),
    ],
    S.TRANSPORT: [
        ("Trainee vehicle technician", "motor mechanic, vehicle maintenance, teamwork",
         "Service cars and vans while you work towards your qualification.", "", []),
        ("Car valeter", "car valeting, reliable", "Clean and prepare cars for customers.", "",
         []),
    ],
    S.IT: [
        ("Junior web developer", "coding, html, javascript, problem solving",
         "Build websites for charities with our small team.", "", ["coding"]),
        ("IT support technician", "it support, hardware repair, customer service",
         "Fix laptops and help staff with IT problems.", "", []),
    ],
    S.CARE: [
        ("Care assistant", "care worker, personal care, communication",
         "Support older people in their own homes.", "Enhanced DBS check needed", []),
        ("Peer support worker", "peer mentoring, listener, communication",
         "Use your own experience to support others in recovery.", "", []),
    ],
    S.ARTS: [
        ("Community arts assistant", "art, photography, teamwork",
         "Help run art workshops in community centres.", "", []),
    ],
    S.BUSINESS: [
        ("Customer service adviser", "call centre, customer service, data entry",
         "Answer calls and help customers with their accounts.", "", []),
        ("Admin assistant", "admin, microsoft office, data entry",
         "Filing, data entry and answering the phone.", "", []),
    ],
    S.UTILITIES: [
        ("Trainee network operative", "water network, manual handling, driving licence",
         "Help maintain the water network. Full training given.", "", []),
    ],
    S.HAIR_BEAUTY: [
        ("Junior barber", "barbering, cutting hair, customer service",
         "Cut hair in our busy barbershop.", "", ["barbering"]),
    ],
}

# Level 1 and 2 activities any sector can run.
ACTIVITIES = {
    K.EMPLOYABILITY: [
        ("Mock interview morning", "communication, confidence",
         "Practise interviews with our managers and get honest, kind feedback."),
        ("CV and disclosure letter workshop", "admin, communication",
         "Write a CV and a disclosure letter with help from our recruiters."),
        ("Mentoring for six months", "peer mentoring, communication",
         "Meet a mentor from our staff every two weeks for six months."),
    ],
    K.TRAINING: [
        ("Forklift training course", "forklift counterbalance",
         "A one-week counterbalance forklift course. Guaranteed interview if you pass."),
        ("Construction skills course with CSCS card", "cscs card, health and safety",
         "Two weeks of site safety training. You leave with a CSCS card."),
        ("Food hygiene and kitchen skills course", "food hygiene, cooking",
         "Learn kitchen skills and gain food hygiene level 2."),
        ("IT skills bootcamp", "microsoft office, coding",
         "Eight weeks of IT skills, from spreadsheets to simple web pages."),
    ],
    K.PLACEMENT: [
        ("Paid work placement", "teamwork, reliable",
         "Eight weeks of paid work with us. Open to people on day release (ROTL)."),
    ],
}

# How people describe their own skills (pieces that are combined).
SKILL_PHRASES = [
    "wing cleaner for 2 years", "cooked for 300 on the wing", "kitchen orderly",
    "worked in the servery", "food hygiene level 2", "forklift counterbalance licence",
    "picking and packing", "stock control in the stores", "on the gardens party",
    "painting and decorating", "did a bricklaying course", "CSCS card", "plastering",
    "laundry orderly", "recycling workshop", "barbering", "bike repair workshop",
    "Listener", "peer mentor", "functional skills english level 2", "maths level 1",
    "Microsoft Office and PICTA", "coding with Code4000", "welding", "assembly in the workshop",
    "textiles workshop", "customer service", "cash handling", "delivery driver",
    "full driving licence", "labouring", "warehouse operative", "car valeting", "mechanic",
    "care assistant", "call centre", "data entry", "dry lining", "first aid", "manual handling",
    "team player", "reliable", "good time keeping", "key cutting", "printing", "hairdressing",
]

HEADLINES = [
    "Hard-working and ready to learn", "Experienced in warehouses and kitchens",
    "Practical, reliable, good with my hands", "Looking for a fresh start in construction",
    "Cook with experience feeding large numbers", "Friendly, good with customers",
    "Keen to learn a trade", "Steady worker who turns up on time",
]

QUALIFICATIONS = [
    ("CSCS Green Card", "CITB"), ("Food Hygiene Level 2", "Highfield"),
    ("Counterbalance Forklift Licence", "RTITB"), ("NVQ Level 2 Cleaning (BICS)", "BICSc"),
    ("Functional Skills English Level 1", "City & Guilds"),
    ("Functional Skills Maths Level 1", "City & Guilds"), ("PICTA IT User", "PICTA"),
    ("NVQ Level 1 Bricklaying", "City & Guilds"), ("Emergency First Aid at Work", "St John"),
    ("Level 2 Barbering", "VTCT"), ("Level 1 Cycle Mechanics", "Cytech"),
]

WORK_HISTORY = [
    ("Wing cleaner", True, "Kept the landing clean and safe."),
    ("Kitchen orderly", True, "Cooked and served meals for 300 men."),
    ("Stores orderly", True, "Stock counts and issuing kit."),
    ("Gardens party", True, "Grass cutting, planting and grounds upkeep."),
    ("Laundry orderly", True, "Ran industrial washers and dryers."),
    ("Recycling workshop", True, "Sorted and baled recycling."),
    ("Warehouse operative", False, "Picking and packing on a night shift."),
    ("Labourer", False, "General labouring on building sites."),
    ("Kitchen porter", False, "Washing up and food prep in a restaurant."),
    ("Delivery driver", False, "Van deliveries around the city."),
    ("Shop assistant", False, "Tills, stock and customers."),
]

FIRST_NAMES = ["Sam", "Alex", "Jordan", "Chris", "Lee", "Danny", "Jay", "Kai", "Ryan", "Liam",
               "Mo", "Aaron", "Ben", "Callum", "Dean", "Ellis", "Faisal", "Gary", "Harry",
               "Imran", "Jamal", "Kyle", "Luke", "Marcus", "Nathan", "Owen", "Paul", "Rhys",
               "Shane", "Tom", "Wes", "Zak", "Amy", "Becky", "Chloe", "Dana", "Gemma", "Jade",
               "Kerry", "Lisa"]
LAST_NAMES = ["Taylor", "Smith", "Jones", "Brown", "Wilson", "Evans", "Thomas", "Roberts",
              "Walker", "Wright", "Hall", "Green", "Hughes", "Clarke", "Patel", "Khan", "Ali",
              "Lewis", "Murphy", "Byrne", "Kelly", "Price", "Bennett", "Wood", "Shaw", "Mills",
              "Barnes", "Fox", "Hunt", "Reid"]
