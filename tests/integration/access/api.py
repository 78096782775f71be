from marketplace.permissions import PUBLIC
from tests.integration.access import C, E

ACCESS = {
    "api.my_matches": (C,),
    "api.opportunity_matches": (E,),
    "api.openapi_json": PUBLIC,
    "api.docs": PUBLIC,
    # Employer members of an approved organisation (permissions.can_manage_api_tokens).
    "api_pages.tokens": (E,),
    "api_pages.revoke_token": (E,),
    "api_pages.import_page": (E,),
    "api_pages.import_template": (E,),
}
# The token API: no browser session is enough, whoever is signed in (a 401 without a token).
TOKEN_SCOPES = {
    "api_v1.list_opportunities": "opportunities:read",
    "api_v1.opportunity": "opportunities:read",  # GET; its PATCH also needs write
    "api_v1.organisation": "opportunities:read",
    "api_v1.create_opportunity": "opportunities:write",
    "api_v1.publish_opportunity": "opportunities:write",
    "api_v1.close_opportunity": "opportunities:write",
    "api_v1.import_opportunities": "opportunities:write",
    "api_v1.opportunity_matches": "applications:read",
    "api_v1.list_applications": "applications:read",
    "api_v1.get_application": "applications:read",
    **{f"api_v1.application_{action}": "applications:write"
       for action in ("shortlist", "book_interview", "record_interview",
                      "make_conditional_offer", "confirm_offer", "start", "withdraw_offer",
                      "reject")},
}
ACCESS.update({endpoint: f"token:{scope}" for endpoint, scope in TOKEN_SCOPES.items()})
POST_ONLY = {"api_pages.revoke_token", "api_v1.create_opportunity",
             "api_v1.publish_opportunity", "api_v1.close_opportunity",
             "api_v1.import_opportunities",
             *(e for e in TOKEN_SCOPES if e.startswith("api_v1.application_"))}
URL_ARGS = {
    "api.opportunity_matches": lambda w: {"opportunity_id": w["opportunity"].id},
    "api_pages.revoke_token": lambda w: {"token_id": w["api_token"].id},
    **{e: (lambda w: {"opportunity_id": w["opportunity"].id})
       for e in ("api_v1.opportunity", "api_v1.publish_opportunity", "api_v1.close_opportunity",
                 "api_v1.opportunity_matches")},
    **{e: (lambda w: {"application_id": w["application"].id})
       for e in TOKEN_SCOPES if e.startswith("api_v1.application") or e ==
       "api_v1.get_application"},
}
