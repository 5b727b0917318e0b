#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""mkdsn.py DIR FIRST COUNT: write COUNT RFC 3464 hard bounces to DIR, one
per file, for user<FIRST>@pg.example ... user<FIRST+COUNT-1>@pg.example."""
import os
import sys

TEMPLATE = """Return-Path: <>
Date: Mon, 07 Dec 2026 10:00:00 +0000
From: MAILER-DAEMON@mx.remote.test (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces@sink.test
Message-ID: <dsn-{n}@mx.remote.test>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="B-{n}"

--B-{n}
Content-Type: text/plain; charset=us-ascii

<user{n}@pg.example>: host mx.pg.example[192.0.2.25] said: 550 5.1.1
    <user{n}@pg.example>: Recipient address rejected: User unknown

--B-{n}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.remote.test

Final-Recipient: rfc822; user{n}@pg.example
Action: failed
Status: 5.1.1
Remote-MTA: dns; mx.pg.example
Diagnostic-Code: smtp; 550 5.1.1 <user{n}@pg.example>: Recipient address
    rejected: User unknown

--B-{n}--
"""

def main():
    out, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    os.makedirs(out, exist_ok=True)
    for n in range(first, first + count):
        with open(os.path.join(out, "dsn-%06d.eml" % n), "w") as f:
            f.write(TEMPLATE.format(n=n))

main()
