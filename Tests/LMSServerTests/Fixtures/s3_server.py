"""An S3-compatible server for the backup tests: moto on loopback, checking every request's
AWS Signature V4 against the keys of one IAM user, as AWS and R2 do.

Usage: python3 s3_server.py BUCKET...
Creates the buckets, prints one JSON line {"endpoint", "access_key_id", "secret_access_key"}
once it serves, and serves until its standard input closes (the test ends or dies).
"""
import json
import os
import sys
from urllib.parse import quote, unquote, urlsplit

# The first three requests (making the IAM user and its key) go unsigned; every later one is
# checked. moto reads this when it is imported.
os.environ["INITIAL_NO_AUTH_ACTION_COUNT"] = "3"

import boto3  # noqa: E402
from moto.iam import access_control  # noqa: E402
from moto.server import ThreadedMotoServer  # noqa: E402

# moto 5.2 rebuilds the canonical query from the query as it received it, decoded; AWS encodes
# each name and value (a '/' as %2F) before signing. Encode them here so the signature check is
# AWS's: without this, boto3 itself fails against moto with a '/' in a listing prefix.
_original_init = access_control.IAMRequestBase.__init__


def _canonical(path):
    parts = urlsplit(path)
    if not parts.query:
        return path
    pairs = []
    for pair in parts.query.split("&"):
        name, _, value = pair.partition("=")
        pairs.append(quote(unquote(name), safe="-_.~") + "=" + quote(unquote(value), safe="-_.~"))
    return parts.path + "?" + "&".join(pairs)


def _init_with_canonical_query(self, *args, **kwargs):
    if "path" in kwargs:
        kwargs["path"] = _canonical(kwargs["path"])
    _original_init(self, *args, **kwargs)


access_control.IAMRequestBase.__init__ = _init_with_canonical_query

server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
server.start()
host, port = server.get_host_and_port()
endpoint = f"http://{host}:{port}"

iam = boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
iam.create_user(UserName="lms-backup")
iam.put_user_policy(
    UserName="lms-backup", PolicyName="all",
    PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="lms-backup")["AccessKey"]

s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
for bucket in sys.argv[1:]:
    s3.create_bucket(Bucket=bucket)

print(json.dumps({"endpoint": endpoint, "access_key_id": key["AccessKeyId"], "secret_access_key": key["SecretAccessKey"]}), flush=True)
sys.stdin.read()
server.stop()
