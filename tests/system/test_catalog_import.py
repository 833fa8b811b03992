"""The CSV import from the command line: all or nothing, bad rows reported with their line numbers."""

import subprocess
import sys
from pathlib import Path

import pytest

from support import System, unique

pytestmark = pytest.mark.system


def run_import(system: System, path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "catalog.cli", "import", str(path), *args,
         "--database-url", system._database("catalog")],
        capture_output=True, text=True, timeout=120,
    )


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
        done = run_import(system, tmp_path / name, "--kind", kind)
        assert done.returncode == 0, done.stderr
    first = system.http.get(system.url("catalog", f"/items/{a}")).json()
    assert first["attributes"] == {color: "Gloss"} and len(first["variants"]) == 2
    assert {u["code"] for u in first["units_of_measure"]} == {"BOX", "PCS"}
    assert system.http.get(system.url("catalog", f"/items/{b}")).json()["attributes"] == {color: "Matt"}
    # Imported items reach the warehouse like any other.
    system.wait_quiet()
    assert system.http.get(system.url("warehouse", f"/items/{a}/quantity-on-hand")).status_code == 200


def test_a_bad_row_imports_nothing_and_names_its_line(system: System, tmp_path: Path) -> None:
    good, bad_price, dup = unique("G"), unique("X"), unique("D")
    path = tmp_path / "items.csv"
    path.write_text(
        "item_no,description,base_unit_of_measure,inventory_posting_group,gen_prod_posting_group,unit_price,costing_method\n"
        f"{good},Good,PCS,RESALE,RETAIL,1,FIFO\n"
        f"{bad_price},Bad,PCS,RESALE,RETAIL,-4,FIFO\n"
        f"{dup},Average,PCS,RESALE,RETAIL,1,Average\n"
    )
    done = run_import(system, path)
    assert done.returncode == 1
    assert "line 3: unit_price" in done.stderr and "nothing imported" in done.stderr
    assert system.http.get(system.url("catalog", f"/items/{good}")).status_code == 404


def test_a_row_refused_by_the_rules_rolls_back_the_file(system: System, tmp_path: Path) -> None:
    good, specific = unique("G"), unique("SP")
    path = tmp_path / "items.csv"
    path.write_text(
        "item_no,description,base_unit_of_measure,inventory_posting_group,gen_prod_posting_group,costing_method\n"
        f"{good},Good,PCS,RESALE,RETAIL,FIFO\n"
        f"{specific},Specific,PCS,RESALE,RETAIL,Specific\n"
    )
    done = run_import(system, path)
    assert done.returncode == 1 and "line 3: costing method Specific requires" in done.stderr, done.stderr
    assert system.http.get(system.url("catalog", f"/items/{good}")).status_code == 404
    partial = run_import(system, path, "--allow-partial")
    assert partial.returncode == 2 and "imported 1 items" in partial.stderr, partial.stderr
    assert system.http.get(system.url("catalog", f"/items/{good}")).status_code == 200
