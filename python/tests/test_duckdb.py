"""Issue 13's dataset: `convert A B --to parquet -o DIR/` writes one Parquet file per
input, which DuckDB reads as one table with read_parquet('DIR/*.parquet')."""

import warnings

import duckdb

import tgexport
from conftest import TESTDATA, run_cli

INPUTS = [
    TESTDATA / "tdesktop_json" / "2024_channel.json",
    TESTDATA / "text" / "footers.txt",
    TESTDATA / "tme_html" / "page.html",
]


def test_duckdb_reads_the_folder_as_one_dataset(cli, tmp_path):
    folder = tmp_path / "dataset"
    done = run_cli(cli, "convert", *INPUTS, "--to", "parquet", "-o", f"{folder}/")
    assert done.returncode == 0, done.stderr.decode()
    assert len(list(folder.glob("*.parquet"))) == len(INPUTS)

    files = f"{folder}/*.parquet"
    query = f"""
        SELECT source, index, id, date, hashtags, message
        FROM read_parquet('{files}') ORDER BY source, index
    """
    rows = duckdb.sql(query).fetchall()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", tgexport.TgexportWarning)
        table = tgexport.to_arrow(INPUTS).sort_by([("source", "ascending"), ("index", "ascending")])
    expected = table.select(["source", "index", "id", "date", "hashtags", "message"]).to_pylist()
    assert [dict(zip(expected[0], row)) for row in rows] == expected
    assert {row[0] for row in rows} == {str(path) for path in INPUTS}

    described = duckdb.sql(f"DESCRIBE SELECT * FROM read_parquet('{files}')").fetchall()
    types = {name: kind for name, kind, *_ in described}
    assert types["id"] == types["views"] == types["reply_to"] == "BIGINT"
    assert types["date"] == types["edited"] == "TIMESTAMP WITH TIME ZONE"
    assert types["hashtags"] == "VARCHAR[]"
