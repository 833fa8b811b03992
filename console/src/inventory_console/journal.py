"""The journal form: what the user typed becomes a warehouse document, and the API's refusals go back to the fields.

The console validates nothing itself: the warehouse's messages are the ones shown, each next to its field.
"""

from dataclasses import dataclass, field
from typing import Any

from .api import ApiError

ROWS = 5
LINE_FIELDS = ("item_no", "location_code", "new_location_code", "quantity", "unit_cost")


@dataclass(frozen=True)
class Kind:
    label: str
    entry_type: str | None  # None: a transfer, posted as a reclassification journal
    inbound: bool

    @property
    def path(self) -> str:
        return "/item-journal" if self.entry_type else "/reclassification-journal"


KINDS: dict[str, Kind] = {
    "receipt": Kind("Receipt (Purchase)", "Purchase", True),
    "sale": Kind("Sale", "Sale", False),
    "positive-adjustment": Kind("Positive adjustment", "Positive Adjmt.", True),
    "negative-adjustment": Kind("Negative adjustment", "Negative Adjmt.", False),
    "transfer": Kind("Transfer (to another location)", None, False),
}

# Domain refusals name the line (`line_no`) but not the field; which field they concern follows from the problem type.
FIELD_OF_PROBLEM = {
    "unknown-item": "item_no", "not-an-inventory-item": "item_no", "item-blocked": "item_no",
    "insufficient-inventory": "quantity", "insufficient-bin-content": "quantity",
    "unknown-location": "location_code", "in-transit-location": "location_code", "invalid-location": "location_code",
    "posting-date-not-allowed": "posting_date", "inventory-period-closed": "posting_date",
}
DOCUMENT_FIELDS = {"document_no", "posting_date"}


@dataclass
class JournalForm:
    kind: str = "receipt"
    document_no: str = ""
    posting_date: str = ""
    idempotency_key: str = ""
    rows: list[dict[str, str]] = field(default_factory=lambda: [dict.fromkeys(LINE_FIELDS, "") for _ in range(ROWS)])
    errors: dict[str, list[str]] = field(default_factory=dict)

    @classmethod
    def from_fields(cls, fields: dict[str, list[str]]) -> "JournalForm":
        def one(name: str) -> str:
            return (fields.get(name) or [""])[0].strip()

        rows = [{name: one(f"lines-{i}-{name}") for name in LINE_FIELDS} for i in range(ROWS)]
        return cls(one("kind"), one("document_no"), one("posting_date"), one("idempotency_key"), rows)

    @property
    def entered_rows(self) -> list[int]:
        """The rows the user filled in (a wholly blank row is no line)."""
        return [i for i, row in enumerate(self.rows) if any(row.values())]

    def body(self) -> dict[str, Any]:
        """The document the warehouse takes; blank optional fields are left out, the rest sent as typed."""
        kind = KINDS[self.kind]
        lines = []
        for n, i in enumerate(self.entered_rows):
            row = self.rows[i]
            line: dict[str, Any] = {"line_no": (n + 1) * 10000, "item_no": row["item_no"], "quantity": row["quantity"],
                                    "posting_date": self.posting_date, "location_code": row["location_code"]}
            if kind.entry_type:
                line["entry_type"] = kind.entry_type
                if kind.inbound and row["unit_cost"]:
                    line["unit_cost"] = row["unit_cost"]
            else:
                line["new_location_code"] = row["new_location_code"]
            lines.append(line)
        return {"document_no": self.document_no, "lines": lines}

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def take_refusal(self, error: ApiError) -> None:
        """Put the API's messages on the fields they concern: `errors[].location` of a schema refusal, else the
        problem's detail on the field its type concerns in the line its `line_no` names, else on the form."""
        sent = self.entered_rows
        located = error.problem.get("errors")
        if isinstance(located, list) and located:
            for item in located:
                self.add_error(self._field_at([str(part) for part in item.get("location", [])], sent),
                               str(item.get("message", "")))
            return
        line_no, slug = error.problem.get("line_no"), error.slug
        name = FIELD_OF_PROBLEM.get(slug)
        if name in DOCUMENT_FIELDS:
            self.add_error(str(name), error.detail)
        elif name and isinstance(line_no, int) and 0 < line_no // 10000 <= len(sent):
            self.add_error(f"lines-{sent[line_no // 10000 - 1]}-{name}", error.detail)
        else:
            self.add_error("form", error.detail)

    @staticmethod
    def _field_at(location: list[str], sent: list[int]) -> str:
        """`["body", "lines", "0", "quantity"]` is row sent[0]'s quantity field; a line's posting date is the document's."""
        path = location[1:] if location[:1] == ["body"] else location
        if path[:1] == ["lines"] and len(path) >= 3 and path[1].isdigit() and int(path[1]) < len(sent):
            name = path[2]
            if name == "posting_date":
                return "posting_date"
            if name in LINE_FIELDS:
                return f"lines-{sent[int(path[1])]}-{name}"
            if name == "entry_type":
                return "kind"
            return f"lines-{sent[int(path[1])]}"
        if path[:1] == ["lines"]:
            return "lines"
        if path and path[0] in DOCUMENT_FIELDS:
            return path[0]
        return "form"
