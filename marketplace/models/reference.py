"""Reference data loaded from the CSV files in marketplace/reference/data/."""

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from marketplace.models.base import Base


class PostcodeDistrict(Base):
    __tablename__ = "postcode_districts"

    district: Mapped[str] = mapped_column(sa.String(4), primary_key=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    town_or_area: Mapped[str] = mapped_column(sa.Text)
    region: Mapped[str] = mapped_column(sa.String(40), index=True)
    post_town: Mapped[str] = mapped_column(sa.String(60))
    local_authority: Mapped[str] = mapped_column(sa.String(80))
    postcode_area: Mapped[str] = mapped_column(sa.String(2))

    __table_args__ = (
        sa.CheckConstraint("latitude BETWEEN 49 AND 61", name="latitude_in_gb"),
        sa.CheckConstraint("longitude BETWEEN -9 AND 2", name="longitude_in_gb"),
    )


class Prison(Base):
    __tablename__ = "prisons"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(3), unique=True)  # NOMIS agency code, e.g. LEI
    name: Mapped[str] = mapped_column(sa.String(120))
    town: Mapped[str] = mapped_column(sa.String(60))
    postcode: Mapped[str | None] = mapped_column(sa.String(8))
    region: Mapped[str] = mapped_column(sa.String(40), index=True)
    category_or_function: Mapped[str] = mapped_column(sa.String(80))
    estate: Mapped[str] = mapped_column(sa.String(40))
    security_category: Mapped[str | None] = mapped_column(sa.String(10))

    @property
    def display_name(self) -> str:
        return f"HMP {self.name.split(' (')[0]}" if "HMP" in self.name else self.name
