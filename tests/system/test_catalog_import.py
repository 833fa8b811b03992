"""Catalog import from the command line (`inventory items import`): attributes, categories and items through the API."""

import json
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from devstack.cli import stack_description
from inventory_cli.app import app
from support import System, unique

pytestmark = pytest.mark.system


def run_import(system: System, tmp_path: Path, path: Path, *args: str) -> Result:
    stack_file = tmp_path / "stack.json"
    stack_file.write_text(json.dumps(stack_description(system.stack)))
    result = CliRunner().invoke(app, ["items", "import", str(path), *args],
                                env={"INVENTORY_STACK": str(stack_file), "INVENTORY_TOKEN": None, "COLUMNS": "300"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


def test_categories_attributes_and_items_import(system: System, tmp_path: Path) -> None:
    color, cat, a, b = unique("Finish"), unique("IMP"), unique("IA"), unique("IB")
    (tmp_path / "attributes.csv").write_text(f"name,type,options\n{color},Option,Matt|Gloss\n")
    (tmp_path / "categories.csv").write_text(f"code,parent_code,description,attributes\n{cat},,Imported,{color}=Matt\n")
    (tmp_path / "items.csv").write_text(
        "item_no,description,base_unit_of_measure,inventory_posting_group,gen_prod_posting_group,unit_price,"
        f"item_category_code,units_of_measure,variants,attr:{color}\n"
        f"{a},Paint A,PCS,RESALE,RETAIL,3.50,{cat},BOX=6,W:White;B:Black,Gloss\n"
        f"{b},Paint B,PCS,RESALE,RETAIL,,{cat},,,\n"
    )
    for name, kind in (("attributes.csv", "attributes"), ("categories.csv", "categories"), ("items.csv", "items")):
        done = run_import(system, tmp_path, tmp_path / name, "--kind", kind)
        assert done.exit_code == 0, done.output
        assert "0 refused" in done.stdout and "0 updated" in done.stdout
    first = system.http.get(system.url("catalog", f"/items/{a}")).json()
    assert first["attributes"] == {color: "Gloss"} and len(first["variants"]) == 2
    assert {u["code"] for u in first["units_of_measure"]} == {"BOX", "PCS"}
    assert system.http.get(system.url("catalog", f"/items/{b}")).json()["attributes"] == {color: "Matt"}
    # Imported items reach the warehouse like any other.
    system.wait_quiet()
    assert system.http.get(system.url("warehouse", f"/items/{a}/quantity-on-hand")).status_code == 200

    # Imported again with changes: categories and attributes are updated too, the rest is left alone.
    (tmp_path / "attributes.csv").write_text(f"name,type,options\n{color},Option,Matt|Gloss|Satin\n")
    (tmp_path / "categories.csv").write_text(f"code,parent_code,description,attributes\n{cat},,Imported paints,\n")
    for name, kind in (("attributes.csv", "attributes"), ("categories.csv", "categories"), ("items.csv", "items")):
        done = run_import(system, tmp_path, tmp_path / name, "--kind", kind)
        assert done.exit_code == 0, done.output
        assert ("0 updated" if kind == "items" else "1 updated") in done.stdout
    assert system.http.get(system.url("catalog", f"/item-attributes/{color}")).json()["options"] == ["Matt", "Gloss", "Satin"]
    assert system.http.get(system.url("catalog", f"/item-categories/{cat}")).json()["description"] == "Imported paints"
    # An attribute's type cannot change: that row is refused, with the reason.
    (tmp_path / "attributes.csv").write_text(f"name,type\n{color},Text\n")
    done = run_import(system, tmp_path, tmp_path / "attributes.csv", "--kind", "attributes")
    assert done.exit_code == 1 and "type cannot change" in done.stdout


def test_a_row_that_cannot_be_read_imports_nothing_and_names_its_line(system: System, tmp_path: Path) -> None:
    good, bad_units, bad_flag = unique("G"), unique("X"), unique("Y")
    path = tmp_path / "items.csv"
    path.write_text(
        "item_no,description,base_unit_of_measure,inventory_posting_group,gen_prod_posting_group,units_of_measure,blocked\n"
        f"{good},Good,PCS,RESALE,RETAIL,,\n"
        f"{bad_units},Bad,PCS,RESALE,RETAIL,BOX,\n"
        f"{bad_flag},Bad,PCS,RESALE,RETAIL,,maybe\n"
    )
    done = run_import(system, tmp_path, path)
    assert done.exit_code == 1
    assert "nothing imported" in done.stderr and "line 3: units_of_measure" in done.stderr
    assert "line 4: blocked" in done.stderr
    assert system.http.get(system.url("catalog", f"/items/{good}")).status_code == 404


def test_a_row_refused_by_the_rules_is_reported_with_the_problem_and_the_others_are_imported(
    system: System, tmp_path: Path
) -> None:
    good, specific = unique("G"), unique("SP")
    path = tmp_path / "items.csv"
    path.write_text(
        "item_no,description,base_unit_of_measure,inventory_posting_group,gen_prod_posting_group,costing_method\n"
        f"{good},Good,PCS,RESALE,RETAIL,FIFO\n"
        f"{specific},Specific,PCS,RESALE,RETAIL,Specific\n"
    )
    done = run_import(system, tmp_path, path)
    assert done.exit_code == 1, done.output
    refusal = next(line for line in done.stdout.splitlines() if specific in line)
    assert "line 3" in refusal and "refused" in refusal and "costing method Specific requires" in refusal
    assert system.http.get(system.url("catalog", f"/items/{good}")).status_code == 200
    assert system.http.get(system.url("catalog", f"/items/{specific}")).status_code == 404
    # Run again: the good one is there already, the refused one still refused.
    again = run_import(system, tmp_path, path)
    assert "0 created, 0 updated, 1 unchanged, 1 refused" in again.stdout
