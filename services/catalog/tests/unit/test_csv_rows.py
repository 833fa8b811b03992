from decimal import Decimal

from catalog.domain.model import AttributeType, ItemUnitOfMeasure, ItemVariant
from catalog.entrypoints.csv_rows import parse_rows

HEAD = {"item_no": "A1", "description": "Paint", "base_unit_of_measure": "PCS", "inventory_posting_group": "RESALE",
        "gen_prod_posting_group": "RETAIL"}


def test_an_item_row_with_units_variants_and_attributes() -> None:
    (line, item), = parse_rows("items", [(2, {**HEAD, "unit_price": "3.5", "units_of_measure": "BOX=6",
                                               "variants": "W:White;B:Black", "attr:Finish": "Gloss", "attr:Empty": ""})])[0]
    assert line == 2 and item.unit_price == Decimal("3.5")
    assert item.units_of_measure == (ItemUnitOfMeasure("BOX", Decimal(6)),)
    assert item.variants == (ItemVariant("W", "White"), ItemVariant("B", "Black"))
    assert item.attributes == {"Finish": "Gloss"}


def test_bad_rows_are_reported_with_their_line_and_field() -> None:
    commands, errors = parse_rows("items", [(2, HEAD), (3, {**HEAD, "unit_price": "-1"}), (4, {**HEAD, "units_of_measure": "BOX"})])
    assert [line for line, _ in commands] == [2]
    assert [e.line for e in errors] == [3, 4]
    assert "unit_price" in errors[0].reason and "BOX" in errors[1].reason


def test_category_and_attribute_rows() -> None:
    (_, category), = parse_rows("categories", [(2, {"code": "C", "parent_code": "", "attributes": "Color=Red;Width="})])[0]
    assert category.attributes == {"Color": "Red", "Width": ""}
    (_, attribute), = parse_rows("attributes", [(2, {"name": "Color", "type": "Option", "options": "Red|Blue"})])[0]
    assert attribute.type == AttributeType.OPTION and attribute.options == ("Red", "Blue")
