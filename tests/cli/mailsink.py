# SPDX-License-Identifier: MIT
"""A real SMTP server on 127.0.0.1 for the mail tests, and msmtp set up to deliver to it.

The server is aiosmtpd (Debian's python3-aiosmtpd); the client is msmtp, which the tests use
as sendmail (/usr/sbin/sendmail from msmtp-mta, configured by ~/.msmtprc in the test's HOME).
Each delivery is kept with its envelope, so a test can see exactly who received what. A sink
given a Maildir also delivers there what is sent to its mailbox address, the way a local mail
server does (written in tmp/, renamed into new/), for `lbib inbox` to read.
"""
import email
import email.policy
import os
import itertools
import socket
import threading
import time

from aiosmtpd.controller import Controller


class Delivery:
    def __init__(self, mail_from, rcpt_tos, data):
        self.mail_from = mail_from
        self.rcpt_tos = list(rcpt_tos)
        self.data = data  # bytes exactly as transmitted

    def message(self):
        return email.message_from_bytes(self.data, policy=email.policy.default)


class _Handler:
    def __init__(self, sink):
        self.sink = sink

    async def handle_DATA(self, server, session, envelope):
        with self.sink.lock:
            self.sink.deliveries.append(
                Delivery(envelope.mail_from, envelope.rcpt_tos, envelope.original_content))
            if self.sink.maildir and self.sink.mailbox in envelope.rcpt_tos:
                deliver_to_maildir(self.sink.maildir, envelope.original_content)
        return "250 Message accepted for delivery"


_unique = itertools.count()


def make_maildir(path):
    """Creates an empty Maildir (cur/, new/, tmp/) at `path`."""
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(path, sub), mode=0o700, exist_ok=True)
    return path


def deliver_to_maildir(path, data):
    """Delivers `data` (bytes) into the Maildir `path` as a mail server does: written and synced
    in tmp/ under a unique name, then renamed into new/. Returns the name."""
    name = f"{time.time_ns()}.P{os.getpid()}Q{next(_unique)}.lbib-test"
    tmp = os.path.join(path, "tmp", name)
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.rename(tmp, os.path.join(path, "new", name))
    return name


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MailSink:
    """Starts on construction; call stop() (tests do it in tearDown)."""

    def __init__(self, maildir=None, mailbox=None):
        """With `maildir`, what is sent to `mailbox` is also delivered into that Maildir."""
        self.maildir = maildir and make_maildir(maildir)
        self.mailbox = mailbox
        self.deliveries = []
        self.lock = threading.Lock()
        self.port = _free_port()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def received_by(self, address):
        """The deliveries whose envelope included `address`."""
        return [d for d in self.deliveries if address in d.rcpt_tos]

    def write_msmtprc(self, home, from_address):
        """Configures msmtp for the user whose HOME is `home` to deliver here."""
        path = os.path.join(home, ".msmtprc")
        with open(path, "w") as f:
            f.write("defaults\n"
                    "auth off\n"
                    "tls off\n"
                    "syslog off\n"
                    "account default\n"
                    "host 127.0.0.1\n"
                    f"port {self.port}\n"
                    f"from {from_address}\n")
        os.chmod(path, 0o600)
        return path
