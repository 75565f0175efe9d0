"""The audit log: rows written with the change, read back filtered, never editable."""

from __future__ import annotations


def test_audit_log_filters(cli, session):
    from inami_cli.services.audit import record_change, record_changes, set_actor

    set_actor("alice", "inami test")
    record_change(
        session=session, entity="tariff", key="101076", action="insert", after={"fee": "31.81"}
    )
    record_changes(
        session=session,
        changes=[("person", "85073003328", "update", {"last_name": "A"}, {"last_name": "B"})],
    )
    session.commit()
    rows = cli("--format", "json", "audit", "log").json()
    assert [r["entity"] for r in rows] == ["person", "tariff"]
    assert rows[1]["operator"] == "alice" and rows[1]["command"] == "inami test"
    only = cli("--format", "json", "audit", "log", "--entity", "tariff", "--key", "101076").json()
    assert len(only) == 1 and '"31.81"' in only[0]["after"]
    assert cli("--format", "json", "audit", "log", "--limit", "1").json()[0]["entity"] == "person"
    assert cli("--format", "json", "audit", "log", "--since", "2199-01-01").json() == []
    bad = cli("audit", "log", "--since", "yesterday-ish")
    assert bad.exit_code == 2 and "--since" in bad.stderr


def test_audit_log_has_no_writing_command(cli_nodb):
    import typer.main

    from inami_cli.cli.app import app

    audit = typer.main.get_command(app).commands["audit"]
    assert set(audit.commands) == {"log"}
