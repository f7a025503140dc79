#!/usr/bin/env python3
"""A throw-away S3 API for tests and benchmarks: moto's server (PyPI's moto[server]) on
127.0.0.1 and a free port. GDAL reads and writes it over HTTP like any S3-compatible store;
it cannot see moto's in-process mocks, hence the server.

  moto_s3.py serve --url-file F        start; write the endpoint URL to F (atomically);
                                       run until SIGTERM/SIGINT or until stdin closes;
                                       GET /__served answers the body bytes served per path;
                                       POST /__faults {"method", "contains", "count", "kind"} makes
                                       the next COUNT such requests fail: kind "status" answers S3's
                                       500 InternalError, "drop" reads half the body and closes the
                                       connection, "hang" waits SECONDS first; requests signed with
                                       an access key id starting "denied" get S3's 403 InvalidAccessKeyId;
                                       GET /__faults answers how many failures are still to come
  moto_s3.py get URL BUCKET PREFIX DIR download every object under PREFIX into DIR (keys relative to it)
  moto_s3.py put URL BUCKET KEY FILE   create BUCKET when missing, upload FILE as KEY
  moto_s3.py rm URL BUCKET PREFIX      delete every object under PREFIX
"""
import argparse
import json
import os
import re
import signal
import socket
import sys
import threading
import time
from urllib.parse import unquote


def _free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def _s3_error(start_response, status, code, message):
    body = (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code>'
            f'<Message>{message}</Message></Error>').encode()
    start_response(status, [('Content-Type', 'application/xml'), ('Content-Length', str(len(body)))])
    return [body]


class _ServedBytes:
    """WSGI middleware: counts the body bytes of every GET by path, so a test can see
    how much of an object a reader fetched (GET /__served answers the counts as JSON),
    and fails requests on demand (POST /__faults), so a test can see uploads retried."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.counts = {}
        self.faults = []

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        if path == '/__served':
            with self.lock:
                body = json.dumps(self.counts).encode()
            start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
            return [body]
        if path == '/__faults' and environ.get('REQUEST_METHOD') == 'GET':
            with self.lock:
                body = json.dumps(sum(rule.get('count', 0) for rule in self.faults)).encode()
            start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
            return [body]
        if path == '/__faults' and environ.get('REQUEST_METHOD') == 'POST':
            length = int(environ.get('CONTENT_LENGTH') or 0)
            rule = json.loads(environ['wsgi.input'].read(length))
            with self.lock:
                self.faults.append(rule)
            start_response('204 No Content', [])
            return []
        if 'Credential=denied' in environ.get('HTTP_AUTHORIZATION', ''):
            return _s3_error(start_response, '403 Forbidden', 'InvalidAccessKeyId',
                             'The AWS Access Key Id you provided does not exist in our records.')
        fault = self._take_fault(environ.get('REQUEST_METHOD'), path)
        if fault == 'status':
            return _s3_error(start_response, '500 Internal Server Error', 'InternalError',
                             'We encountered an internal error. Please try again.')
        if fault == 'drop':
            self._drop(environ)
            return []
        if isinstance(fault, float):
            time.sleep(fault)
        ranged = self._ranged(environ, start_response)
        if ranged is not None:
            return self._counted(path, ranged)
        result = self.app(environ, start_response)
        if environ.get('REQUEST_METHOD') != 'GET':
            return result
        return self._counted(path, result)

    @staticmethod
    def _ranged(environ, start_response):
        """One byte range of an object, read from moto's store as S3 reads it: moto itself copies
        the whole object for every ranged GET, which would make a reader of a 400 MB scene wait
        on copies of 400 MB and measure moto rather than the reader. None: moto answers."""
        match = re.fullmatch(r'bytes=(\d+)-(\d*)', environ.get('HTTP_RANGE', ''))
        parts = environ.get('PATH_INFO', '').lstrip('/').split('/', 1)
        if environ.get('REQUEST_METHOD') != 'GET' or environ.get('QUERY_STRING') or not match or len(parts) != 2:
            return None
        from moto.core import DEFAULT_ACCOUNT_ID
        from moto.s3.models import FakeKey, s3_backends
        bucket = s3_backends[DEFAULT_ACCOUNT_ID]['aws'].buckets.get(parts[0])
        key = bucket.keys.get(unquote(parts[1])) if bucket is not None else None
        if not isinstance(key, FakeKey) or int(match.group(1)) >= key.size:
            return None
        begin = int(match.group(1))
        end = min(int(match.group(2)), key.size - 1) if match.group(2) else key.size - 1
        if end < begin:
            return None
        with key.lock:
            etag = key.etag  # computed once, from the same buffer
            key._value_buffer.seek(begin)
            body = key._value_buffer.read(end - begin + 1)
        start_response('206 Partial Content', [
            ('Content-Type', key.metadata.get('Content-Type', 'binary/octet-stream')), ('Content-Length', str(len(body))),
            ('Content-Range', f'bytes {begin}-{end}/{key.size}'), ('Accept-Ranges', 'bytes'),
            ('ETag', etag), ('Last-Modified', key.last_modified_RFC1123)])
        return [body]

    def _take_fault(self, method, path):
        with self.lock:
            for rule in self.faults:
                if rule.get('count', 0) > 0 and rule.get('method') == method and rule.get('contains', '') in path:
                    rule['count'] -= 1
                    kind = rule.get('kind', 'status')
                    return float(rule.get('seconds', 60)) if kind == 'hang' else kind
        return None

    @staticmethod
    def _drop(environ):
        """A network failure mid-upload: half the body read, then the connection cut."""
        length = int(environ.get('CONTENT_LENGTH') or 0)
        environ['wsgi.input'].read(length // 2)
        connection = environ.get('werkzeug.socket')
        if connection is not None:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def _counted(self, path, result):
        served = 0
        try:
            for chunk in result:
                served += len(chunk)
                yield chunk
        finally:
            if hasattr(result, 'close'):
                result.close()
            with self.lock:
                self.counts[path] = self.counts.get(path, 0) + served


def serve(url_file):
    from moto.moto_server.threaded_moto_server import MotoRequestHandler
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
    from werkzeug.serving import make_server
    port = _free_port()
    server = make_server('127.0.0.1', port, _ServedBytes(DomainDispatcherApplication(create_backend_app)), True,
                         request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    # The parent closing our stdin (or dying) ends the server too.
    threading.Thread(target=lambda: (sys.stdin.read(), stopping.set()), daemon=True).start()
    temporary = url_file + '.part'
    with open(temporary, 'w') as out:
        out.write(f'http://127.0.0.1:{port}\n')
    os.replace(temporary, url_file)
    stopping.wait()
    server.shutdown()


def put(url, bucket, key, path):
    import boto3
    s3 = boto3.client('s3', endpoint_url=url, region_name='us-east-1',
                      aws_access_key_id='test', aws_secret_access_key='test')
    if bucket not in [b['Name'] for b in s3.list_buckets().get('Buckets', [])]:
        s3.create_bucket(Bucket=bucket)
    s3.upload_file(path, bucket, key)


def get(url, bucket, prefix, folder):
    import boto3
    s3 = boto3.client('s3', endpoint_url=url, region_name='us-east-1',
                      aws_access_key_id='test', aws_secret_access_key='test')
    for page in s3.get_paginator('list_objects_v2').paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get('Contents', []):
            # A prefix that is a whole key downloads that one object under its own name.
            target = os.path.join(folder, item['Key'][len(prefix):] or os.path.basename(item['Key']))
            os.makedirs(os.path.dirname(target) or '.', exist_ok=True)
            s3.download_file(bucket, item['Key'], target)


def rm(url, bucket, prefix):
    import boto3
    s3 = boto3.client('s3', endpoint_url=url, region_name='us-east-1',
                      aws_access_key_id='test', aws_secret_access_key='test')
    for page in s3.get_paginator('list_objects_v2').paginate(Bucket=bucket, Prefix=prefix):
        keys = [{'Key': item['Key']} for item in page.get('Contents', [])]
        if keys:
            s3.delete_objects(Bucket=bucket, Delete={'Objects': keys})


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest='command', required=True)
    serve_command = commands.add_parser('serve')
    serve_command.add_argument('--url-file', required=True)
    put_command = commands.add_parser('put')
    for name in ('url', 'bucket', 'key', 'file'):
        put_command.add_argument(name)
    get_command = commands.add_parser('get')
    for name in ('url', 'bucket', 'prefix', 'folder'):
        get_command.add_argument(name)
    rm_command = commands.add_parser('rm')
    for name in ('url', 'bucket', 'prefix'):
        rm_command.add_argument(name)
    args = parser.parse_args()
    if args.command == 'serve':
        serve(args.url_file)
    elif args.command == 'put':
        put(args.url, args.bucket, args.key, args.file)
    elif args.command == 'get':
        get(args.url, args.bucket, args.prefix, args.folder)
    else:
        rm(args.url, args.bucket, args.prefix)


if __name__ == '__main__':
    main()
