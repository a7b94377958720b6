"""A private Dovecot IMAP server on loopback for the tests (real server, not a mock).

It runs from a generated config in a temporary folder: its own base_dir, free ports
on 127.0.0.1 (IMAPS and IMAP+STARTTLS; also on 127.0.0.2 so a test can reach it by a
name its certificate does not carry), a self-signed certificate made with
``openssl req`` for ``localhost`` / ``127.0.0.1`` that the client trusts as its CA
file, users from a static passwd-file, mail in a Maildir under the folder. It is
started with ``dovecot -F -c <conf>`` as the current user (as root — CI containers —
login and mail processes drop to dovenull / nobody, which Dovecot insists on) and
stopped after the test.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

USER = "confirm"
PASSWORD = "s3cret-pass"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _ids() -> tuple[str, str, str, int, int]:
    """(internal user, internal group, login user, mail uid, mail gid) for this process."""
    if os.geteuid() != 0:
        me = pwd.getpwuid(os.geteuid())
        import grp

        group = grp.getgrgid(os.getegid()).gr_name
        return me.pw_name, group, me.pw_name, os.geteuid(), os.getegid()
    login = "dovenull" if _has_user("dovenull") else "nobody"
    internal = "dovecot" if _has_user("dovecot") else "nobody"
    import grp

    nobody = pwd.getpwnam("nobody")
    igroup = grp.getgrgid(pwd.getpwnam(internal).pw_gid).gr_name
    return internal, igroup, login, nobody.pw_uid, nobody.pw_gid


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


@dataclass
class Dovecot:
    root: Path
    imaps_port: int
    imap_port: int
    proc: subprocess.Popen[bytes] | None = None

    @property
    def ca_file(self) -> Path:
        return self.root / "server.crt"

    @property
    def conf(self) -> Path:
        return self.root / "dovecot.conf"

    @property
    def maildir(self) -> Path:
        return self.root / "mail" / USER

    def write_config(self) -> None:
        internal, igroup, login, uid, gid = _ids()
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                "-keyout", str(self.root / "server.key"), "-out", str(self.ca_file),
                "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            check=True,
            capture_output=True,
        )  # fmt: skip
        (self.root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}::::::\n")
        for sub in ("mail", "home"):
            (self.root / sub).mkdir()
            os.chown(self.root / sub, uid, gid)
        r = self.root
        self.conf.write_text(
            f"""\
base_dir = {r}/run
state_dir = {r}/state
log_path = {r}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = yes
ssl_cert = <{r}/server.crt
ssl_key = <{r}/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {internal}
default_internal_group = {igroup}
default_login_user = {login}
first_valid_uid = {uid}
first_valid_gid = 0
mail_location = maildir:{r}/mail/%u
mailbox_list_index = no
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {r}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={r}/home/%u
}}
namespace inbox {{
  inbox = yes
  mailbox Processed {{
    auto = no
  }}
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1, 127.0.0.2
    port = {self.imap_port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1, 127.0.0.2
    port = {self.imaps_port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
"""
        )

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["dovecot", "-F", "-c", str(self.conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"dovecot exited: {self.proc.stderr.read().decode() if self.proc.stderr else ''}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.imaps_port), 0.5) as s:
                ctx = ssl.create_default_context(cafile=str(self.ca_file))
                with ctx.wrap_socket(s, server_hostname="localhost") as t:
                    if t.recv(100).startswith(b"* OK"):
                        return
            time.sleep(0.1)
        raise RuntimeError(f"dovecot did not answer; log: {self.log()}")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)
        if self.proc.stderr:
            self.proc.stderr.close()
        self.proc = None

    def restart(self) -> None:
        self.stop()
        self.start()

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def doveadm(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["doveadm", "-c", str(self.conf), *args], capture_output=True, text=True, timeout=20)

    def kick(self) -> bool:
        """Throw every IMAP session of the user out (``doveadm kick``); False when none was connected."""
        result = self.doveadm("kick", USER)
        if result.returncode not in (0, 68):  # 68: no users kicked
            raise RuntimeError(f"doveadm kick failed: {result.stderr}")
        return result.returncode == 0

    def client(self) -> imaplib_IMAP4_SSL:
        """A plain stdlib IMAP client (another mail program delivering or moving mail)."""
        import imaplib

        ctx = ssl.create_default_context(cafile=str(self.ca_file))
        conn = imaplib.IMAP4_SSL("127.0.0.1", self.imaps_port, ssl_context=ctx, timeout=10)
        conn.login(USER, PASSWORD)
        return conn


imaplib_IMAP4_SSL = object  # typing alias for the client above (stdlib imaplib.IMAP4_SSL)


@contextlib.contextmanager
def running_dovecot() -> Iterator[Dovecot]:
    if shutil.which("dovecot") is None:
        raise RuntimeError("dovecot is not installed: `make test` installs dovecot-imapd")
    root = Path(tempfile.mkdtemp(prefix="hd-dovecot-"))
    root.chmod(0o755)  # login and mail processes run as another user when we are root
    server = Dovecot(root, free_port(), free_port())
    try:
        server.write_config()
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
