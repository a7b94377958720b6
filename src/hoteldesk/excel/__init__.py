"""The thin xlwings layer for staff on Windows: ribbon buttons and worksheet functions (UDFs).

Each button's logic is a plain function on plain data in :mod:`hoteldesk.excel.buttons`
and :mod:`hoteldesk.excel.udfs` (what the tests call); :mod:`hoteldesk.excel.addin`
wraps them with xlwings for Excel. Nothing here needs Excel to import.
"""
