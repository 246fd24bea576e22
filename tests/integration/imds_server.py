#!/usr/bin/env python3
"""imds_server.py — a loopback EC2 instance metadata service that is strict where moto is lenient,
for the instance-profile tests (tests/integration/test_credential_sources.cpp):

- IMDSv2 only: a GET without the token from PUT /latest/api/token is refused (401);
- each credentials GET rotates the keys: AccessKeyId AKIDIMDS1, AKIDIMDS2, ..., Token
  imds-canary-token-N, with an Expiration --lifetime seconds ahead (short, to test refresh);
- the secret key is the one switch-mock-provider verifies Bedrock signatures with;
- GET /ecs/credentials is an ECS container-credentials endpoint: the same rotating keys, for the
  Authorization header "ecs-auth-canary" only;
- GET /__stats answers {"token_puts": n, "credential_gets": n, "refused": n}.

Prints "listening on http://127.0.0.1:PORT" once ready; exits when stdin closes.
"""
import argparse
import datetime
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOKEN = "imdsv2-session-token-for-tests"
ROLE = "switch-test-role"
stats = {"token_puts": 0, "credential_gets": 0, "refused": 0}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    lifetime = 3600

    def log_message(self, *args):
        pass

    def answer(self, status, body, content_type="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_PUT(self):
        if self.path != "/latest/api/token" or not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
            return self.answer(400, "bad token request")
        with lock:
            stats["token_puts"] += 1
        self.answer(200, TOKEN)

    def do_GET(self):
        if self.path == "/__stats":
            with lock:
                return self.answer(200, json.dumps(stats), "application/json")
        if self.path == "/ecs/credentials":
            if self.headers.get("Authorization") != "ecs-auth-canary":
                with lock:
                    stats["refused"] += 1
                return self.answer(403, "bad authorization")
            return self.credentials()
        if self.headers.get("X-aws-ec2-metadata-token") != TOKEN:
            with lock:
                stats["refused"] += 1
            return self.answer(401, "IMDSv2 token required")
        prefix = "/latest/meta-data/iam/security-credentials/"
        if self.path == prefix:
            return self.answer(200, ROLE)
        if self.path == prefix + ROLE:
            return self.credentials()
        self.answer(404, "not found")

    def credentials(self):
        with lock:
            stats["credential_gets"] += 1
            n = stats["credential_gets"]
        expiration = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=self.lifetime)
        self.answer(200, json.dumps({
            "Code": "Success",
            "Type": "AWS-HMAC",
            "AccessKeyId": f"AKIDIMDS{n}",
            "SecretAccessKey": "mock-bedrock-secret-access-key",
            "Token": f"imds-canary-token-{n}",
            "Expiration": expiration.strftime("%Y-%m-%dT%H:%M:%SZ"),
        }), "application/json")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--lifetime", type=int, default=3600, help="seconds each credential stays valid")
    args = parser.parse_args()
    Handler.lifetime = args.lifetime
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
