"""SQL of assembly outputs: the consumptions whose cost each took, and what their overhead was computed from."""

from collections.abc import Iterable, Sequence
from decimal import Decimal

from costing.adapters.session import CostingStore, flushes_first
from costing.domain.assembly import AssemblyOutput, OutputShare
from costing.domain.ports import AssemblyInput


@flushes_first()
class AssemblyStore(CostingStore):
    """What an assembly output took from its consumptions; every query reads (and writes) after the session's flush."""

    async def add_assembly_inputs(self, output_entry_no: int, rows: Sequence[tuple[int, Decimal, Decimal]]) -> None:
        await self._conn.execute(
            """INSERT INTO assembly_inputs (output_entry_no, consumption_entry_no, cost_amount, consumption_cost)
            SELECT $1, c, a, w FROM unnest($2::bigint[], $3::numeric[], $4::numeric[]) WITH ORDINALITY AS r(c, a, w, n)
            ORDER BY n""",
            output_entry_no, [row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows],
        )

    async def assembly_inputs_of(self, consumption_entry_nos: Iterable[int]) -> dict[int, list[AssemblyInput]]:
        rows = await self._conn.fetch(
            """SELECT seq, output_entry_no, consumption_entry_no, cost_amount, consumption_cost FROM assembly_inputs
            WHERE consumption_entry_no = ANY($1::bigint[]) ORDER BY seq""",
            list(set(consumption_entry_nos)),
        )
        inputs: dict[int, list[AssemblyInput]] = {}
        for row in rows:
            inputs.setdefault(row["consumption_entry_no"], []).append(AssemblyInput(**dict(row)))
        return inputs

    async def set_assembly_input_cost(self, seq: int, cost: Decimal, consumption_cost: Decimal) -> None:
        await self._conn.execute("UPDATE assembly_inputs SET cost_amount = $2, consumption_cost = $3 WHERE seq = $1",
                                 seq, cost, consumption_cost)

    async def add_assembly_output(self, output: AssemblyOutput) -> None:
        await self._conn.execute(
            """INSERT INTO assembly_outputs (entry_no, quantity, indirect_cost_pct, overhead_rate, capacity_cost,
                material_cost, overhead_amount, output_quantities, output_index, posting_material_cost,
                posting_capacity_cost) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)""",
            output.entry_no, output.quantity, output.indirect_cost_pct, output.overhead_rate, output.capacity_cost,
            output.material_cost, output.overhead_amount, list(output.share.quantities), output.share.index,
            output.posting_material_cost, output.posting_capacity_cost,
        )

    async def assembly_output(self, entry_no: int) -> AssemblyOutput | None:
        row = await self._conn.fetchrow(
            """SELECT entry_no, quantity, indirect_cost_pct, overhead_rate, capacity_cost, material_cost, overhead_amount,
                output_quantities, output_index, posting_material_cost, posting_capacity_cost
            FROM assembly_outputs WHERE entry_no = $1""", entry_no,
        )
        if row is None:
            return None
        found = dict(row)
        # An output valued before outputs kept their posting's quantities was its posting's only output.
        share = OutputShare(tuple(found.pop("output_quantities")) or (row["quantity"],), found.pop("output_index"))
        return AssemblyOutput(**found, share=share)

    async def save_assembly_output(self, output: AssemblyOutput) -> None:
        await self._conn.execute(
            """UPDATE assembly_outputs SET material_cost = $2, overhead_amount = $3, posting_material_cost = $4
            WHERE entry_no = $1""",
            output.entry_no, output.material_cost, output.overhead_amount, output.posting_material_cost,
        )
