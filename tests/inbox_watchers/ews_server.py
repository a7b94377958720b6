"""A loopback EWS endpoint for the Exchange tests. THIS IS NOT EXCHANGE.

An ``http.server`` with TLS on 127.0.0.1, in a thread, that speaks just enough SOAP
for the operations the mailroom's Exchange source uses — GetFolder, FindFolder,
CreateFolder, FindItem, GetItem (with MimeContent), UpdateItem (IsRead) and
MoveItem — over one mailbox held in memory, behind HTTP basic auth. exchangelib
talks to it exactly as it would to an Exchange server (real requests, real SOAP
XML, real TLS with certificate verification); what it cannot show is how a real
Exchange behaves beyond these operations.
"""

from __future__ import annotations

import base64
import ssl
import subprocess
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape

S = "http://schemas.xmlsoap.org/soap/envelope/"
M = "http://schemas.microsoft.com/exchange/services/2006/messages"
T = "http://schemas.microsoft.com/exchange/services/2006/types"
USER, PASSWORD = "confirm@example.com", "ews-pass"


@dataclass
class Item:
    id: str
    folder: str
    mime: bytes
    received: datetime
    is_read: bool = False
    changekey: str = field(default_factory=lambda: uuid.uuid4().hex[:8])


@dataclass
class Mailbox:
    folders: dict[str, tuple[str, str]] = field(
        default_factory=lambda: {
            "root": ("Root", ""),
            "msgfolderroot": ("Top of Information Store", "root"),
            "inbox": ("Inbox", "msgfolderroot"),
        }
    )
    items: dict[str, Item] = field(default_factory=dict)
    calls: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def deliver(self, mime: bytes, received: datetime, folder: str = "inbox") -> str:
        item = Item("item-" + uuid.uuid4().hex, folder, mime, received)
        with self.lock:
            self.items[item.id] = item
        return item.id

    def in_folder(self, folder: str) -> list[Item]:
        return sorted((i for i in self.items.values() if i.folder == folder), key=lambda i: i.received)


def _folder_xml(fid: str, name: str, parent: str, box: Mailbox) -> str:
    items = box.in_folder(fid)
    unread = sum(not i.is_read for i in items)
    children = sum(1 for _f, (_n, p) in box.folders.items() if p == fid)
    return (
        f'<t:Folder><t:FolderId Id="{fid}" ChangeKey="ck-{fid}"/><t:ParentFolderId Id="{parent}" ChangeKey="ck"/>'
        f"<t:FolderClass>IPF.Note</t:FolderClass><t:DisplayName>{escape(name)}</t:DisplayName>"
        f"<t:TotalCount>{len(items)}</t:TotalCount><t:ChildFolderCount>{children}</t:ChildFolderCount>"
        f"<t:UnreadCount>{unread}</t:UnreadCount></t:Folder>"
    )


def _item_xml(item: Item, full: bool) -> str:
    ident = f'<t:ItemId Id="{item.id}" ChangeKey="{item.changekey}"/>'
    if not full:
        return f"<t:Message>{ident}</t:Message>"
    mime = base64.b64encode(item.mime).decode()
    return (
        f'<t:Message><t:MimeContent CharacterSet="UTF-8">{mime}</t:MimeContent>{ident}'
        f'<t:ParentFolderId Id="{item.folder}" ChangeKey="ck"/>'
        f"<t:DateTimeReceived>{item.received.strftime('%Y-%m-%dT%H:%M:%SZ')}</t:DateTimeReceived>"
        f"<t:IsRead>{'true' if item.is_read else 'false'}</t:IsRead></t:Message>"
    )


def _ok(op: str, inner: str) -> str:
    head = f'<m:{op}ResponseMessage ResponseClass="Success"><m:ResponseCode>NoError</m:ResponseCode>'
    return f"{head}{inner}</m:{op}ResponseMessage>"


def _error(op: str, code: str, text: str) -> str:
    return (
        f'<m:{op}ResponseMessage ResponseClass="Error"><m:MessageText>{escape(text)}</m:MessageText>'
        f"<m:ResponseCode>{code}</m:ResponseCode><m:DescriptiveLinkKey>0</m:DescriptiveLinkKey></m:{op}ResponseMessage>"
    )


def _envelope(op: str, messages: list[str]) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="{S}"><s:Header>'
        f'<h:ServerVersionInfo xmlns:h="{T}" MajorVersion="15" MinorVersion="1" MajorBuildNumber="2507" '
        f'MinorBuildNumber="6" Version="V2017_07_11"/></s:Header><s:Body>'
        f'<m:{op}Response xmlns:m="{M}" xmlns:t="{T}"><m:ResponseMessages>{"".join(messages)}'
        f"</m:ResponseMessages></m:{op}Response></s:Body></s:Envelope>"
    ).encode()


def _folder_ids(node: ET.Element, box: Mailbox) -> list[str]:
    out = []
    for el in node.iter():
        tag = el.tag.rpartition("}")[2]
        if tag == "DistinguishedFolderId" or tag == "FolderId":
            out.append(el.get("Id", ""))
    return out


def handle(box: Mailbox, body: bytes) -> bytes:
    root = ET.fromstring(body)
    op_el = next(iter(root.find(f"{{{S}}}Body") or []))
    op = op_el.tag.rpartition("}")[2]
    box.calls.append(op)
    with box.lock:
        if op == "GetFolder":
            msgs = []
            for fid in _folder_ids(op_el, box):
                if fid in box.folders:
                    name, parent = box.folders[fid]
                    msgs.append(_ok(op, f"<m:Folders>{_folder_xml(fid, name, parent, box)}</m:Folders>"))
                else:
                    msgs.append(_error(op, "ErrorFolderNotFound", f"folder {fid} not found"))
            return _envelope(op, msgs)
        if op == "FindFolder":
            parents = _folder_ids(op_el.find(f"{{{M}}}ParentFolderIds") or op_el, box)
            kids = [(f, n) for f, (n, p) in box.folders.items() if p in parents]
            xml = "".join(_folder_xml(f, n, parents[0], box) for f, n in kids)
            inner = (
                f'<m:RootFolder TotalItemsInView="{len(kids)}" IncludesLastItemInRange="true">'
                f"<t:Folders>{xml}</t:Folders></m:RootFolder>"
            )
            return _envelope(op, [_ok(op, inner)])
        if op == "CreateFolder":
            parent = _folder_ids(op_el.find(f"{{{M}}}ParentFolderId") or op_el, box)[0]
            name = next(el.text or "" for el in op_el.iter() if el.tag.endswith("DisplayName"))
            fid = "folder-" + uuid.uuid4().hex[:8]
            box.folders[fid] = (name, parent)
            inner = f'<m:Folders><t:Folder><t:FolderId Id="{fid}" ChangeKey="ck-{fid}"/></t:Folder></m:Folders>'
            return _envelope(op, [_ok(op, inner)])
        if op == "FindItem":
            folder = _folder_ids(op_el.find(f"{{{M}}}ParentFolderIds") or op_el, box)[0]
            items = box.in_folder(folder)
            text = ET.tostring(op_el).decode()
            if "message:IsRead" in text and 'Value="false"' in text:
                items = [i for i in items if not i.is_read]
            xml = "".join(_item_xml(i, False) for i in items)
            inner = (
                f'<m:RootFolder IndexedPagingOffset="{len(items)}" TotalItemsInView="{len(items)}" '
                f'IncludesLastItemInRange="true"><t:Items>{xml}</t:Items></m:RootFolder>'
            )
            return _envelope(op, [_ok(op, inner)])
        if op == "GetItem":
            msgs = []
            for el in op_el.iter(f"{{{T}}}ItemId"):
                item = box.items.get(el.get("Id", ""))
                if item is None:
                    msgs.append(_error(op, "ErrorItemNotFound", "item not found"))
                else:
                    msgs.append(_ok(op, f"<m:Items>{_item_xml(item, True)}</m:Items>"))
            return _envelope(op, msgs)
        if op == "UpdateItem":
            msgs = []
            for change in op_el.iter(f"{{{T}}}ItemChange"):
                id_el = change.find(f"{{{T}}}ItemId")
                item = box.items.get(id_el.get("Id", "") if id_el is not None else "")
                if item is None:
                    msgs.append(_error(op, "ErrorItemNotFound", "item not found"))
                    continue
                for el in change.iter(f"{{{T}}}IsRead"):
                    item.is_read = (el.text or "").strip() in ("true", "1")
                item.changekey = uuid.uuid4().hex[:8]
                conflicts = "<m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>"
                inner = f"<m:Items>{_item_xml(item, False)}</m:Items>{conflicts}"
                msgs.append(_ok(op, inner))
            return _envelope(op, msgs)
        if op == "MoveItem":
            target = _folder_ids(op_el.find(f"{{{M}}}ToFolderId") or op_el, box)[0]
            msgs = []
            for el in op_el.find(f"{{{M}}}ItemIds") or []:
                item = box.items.pop(el.get("Id", ""), None)
                if item is None:
                    msgs.append(_error(op, "ErrorItemNotFound", "item not found"))
                    continue
                moved = Item("item-" + uuid.uuid4().hex, target, item.mime, item.received, item.is_read)
                box.items[moved.id] = moved
                msgs.append(_ok(op, f"<m:Items>{_item_xml(moved, False)}</m:Items>"))
            return _envelope(op, msgs)
    return _envelope(op, [_error(op, "ErrorInvalidRequest", f"the loopback endpoint does not implement {op}")])


class EwsServer:
    """``with EwsServer(tmp) as ews:`` — ews.url, ews.ca_file, ews.box."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.box = Mailbox()
        self.ca_file = folder / "ews.crt"
        key = folder / "ews.key"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-keyout", str(key),
             "-out", str(self.ca_file), "-subj", "/CN=localhost",
             "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
            check=True, capture_output=True,
        )  # fmt: skip
        box = self.box
        expected = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                pass

            def _send(self, code: int, body: bytes, extra: dict[str, str] | None = None) -> None:
                self.send_response(code)
                self.send_header("Content-Type", "text/xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for k, v in (extra or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if self.headers.get("Authorization") != expected:
                    self._send(401, b"", {"WWW-Authenticate": 'Basic realm="loopback"'})
                    return
                self._send(200, handle(box, body))

            def do_GET(self) -> None:
                self._send(401 if self.headers.get("Authorization") != expected else 200, b"")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(self.ca_file, key)
        self.httpd.socket = ctx.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.url = f"https://localhost:{self.port}/EWS/Exchange.asmx"
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="ews-loopback", daemon=True)

    def __enter__(self) -> EwsServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(10)
