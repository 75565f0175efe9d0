"""Smoke: the command runs on both backends."""


def test_db_status_json(cli):
    result = cli("--format", "json", "db", "status")
    assert result.exit_code == 0, result.stderr
    data = result.json()
    assert data["revision"] == data["expected_revision"]
    assert "act" in data["tables"]
