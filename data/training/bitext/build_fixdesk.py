"""Derive fixdesk.csv (text, category, source_label) from Bitext's full.csv by mapping each original
intent to a FixDesk category slug. Re-run after changing MAPPING:

    python data/training/bitext/build_fixdesk.py
"""

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Bitext "CATEGORY/intent" (or just "CATEGORY" for every intent of it) -> FixDesk category slug.
# In a home-service company an "order" is a booked visit, a "delivery" is the technician's arrival
# and a "shipping address" is the address the technician comes to.
MAPPING = {
    "ACCOUNT": "account",
    "SHIPPING_ADDRESS": "account",
    "CANCELLATION_FEE": "billing",
    "INVOICE": "billing",
    "PAYMENT": "billing",
    "REFUND": "billing",
    "ORDER": "scheduling",
    "DELIVERY": "scheduling",
    "CONTACT": "general",
    "FEEDBACK": "general",
    "NEWSLETTER": "general",
}


def product_category(source_label: str) -> str:
    return MAPPING.get(source_label) or MAPPING[source_label.split("/", 1)[0]]


def main() -> None:
    with (HERE / "full.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with (HERE / "fixdesk.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["text", "category", "source_label"])
        for row in rows:
            writer.writerow([row["text"], product_category(row["source_label"]), row["source_label"]])
    print(f"wrote {len(rows)} rows to {HERE / 'fixdesk.csv'}")


if __name__ == "__main__":
    main()
