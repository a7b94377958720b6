"""The one order repository (issue 15 §2): what automations, mailroom, documents and views know about orders.

It sits below the three desks that use it (``automations``, ``documents``, ``inbox_watchers``) and above
``workbooks``/``journal``, so each desk reads orders and the rows other desks keep through it instead of
importing the desk that writes them:

- :mod:`hoteldesk.orders.bookings` — Bookings.xlsx's orders as records, read once per file version;
- :mod:`hoteldesk.orders.desk_rows` — the journal's rows only a person can finish (failed fax jobs,
  customers to call, mail to review) and the slips still queued, for the desks and the Dashboard;
- :mod:`hoteldesk.orders.papers` — the papers the desks found due, for the documents side to print.
- :mod:`hoteldesk.orders.state` — each order's state as the journal keeps it (last good status, the
  latest slip's revision), for the outbox and the letters.
"""
