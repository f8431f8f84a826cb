"""Each role lands where its work is."""
from motcua.accounts.roles import Role


def test_the_supervisor_lands_on_the_dashboard_and_the_desk_on_online_filings(client, org, make_user):
    make_user(Role.SUPERVISOR, org["000.00.00.H47"], username="gs", password="demo12345")
    make_user(Role.DESK_OFFICER, org["000.00.40.H47"], username="tn", password="demo12345")
    make_user(Role.SPECIALIST, org["000.00.05.H47"], username="cv", password="demo12345")
    landings = {}
    for name in ("gs", "tn", "cv"):
        client.logout()
        landings[name] = client.post("/workspace/dang-nhap/", {"username": name, "password": "demo12345"})["Location"]
    assert landings == {"gs": "/workspace/thong-ke/", "tn": "/workspace/ho-so/?tab=online",
                        "cv": "/workspace/ho-so/?tab=mine"}
    client.logout()
    client.post("/workspace/dang-nhap/", {"username": "gs", "password": "demo12345"})
    page = client.get("/workspace/ho-so/").content.decode()
    assert 'aria-current' in page or "Quá hạn" in page
