#!/usr/bin/env python3
"""A throw-away S3 API for tests and benchmarks: moto's server (PyPI's moto[server]) on
127.0.0.1 and a free port. GDAL reads and writes it over HTTP like any S3-compatible store;
it cannot see moto's in-process mocks, hence the server.

  moto_s3.py serve --url-file F        start; write the endpoint URL to F (atomically);
                                       run until SIGTERM/SIGINT or until stdin closes;
                                       GET /__served answers the body bytes served per path
  moto_s3.py put URL BUCKET KEY FILE   create BUCKET when missing, upload FILE as KEY
"""
import argparse
import json
import os
import signal
import socket
import sys
import threading


def _free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


class _ServedBytes:
    """WSGI middleware: counts the body bytes of every GET by path, so a test can see
    how much of an object a reader fetched; GET /__served answers the counts as JSON."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.counts = {}

    def __call__(self, environ, start_response):
        path = environ.get('PATH_INFO', '')
        if path == '/__served':
            with self.lock:
                body = json.dumps(self.counts).encode()
            start_response('200 OK', [('Content-Type', 'application/json'), ('Content-Length', str(len(body)))])
            return [body]
        result = self.app(environ, start_response)
        if environ.get('REQUEST_METHOD') != 'GET':
            return result
        return self._counted(path, result)

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


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest='command', required=True)
    serve_command = commands.add_parser('serve')
    serve_command.add_argument('--url-file', required=True)
    put_command = commands.add_parser('put')
    for name in ('url', 'bucket', 'key', 'file'):
        put_command.add_argument(name)
    args = parser.parse_args()
    if args.command == 'serve':
        serve(args.url_file)
    else:
        put(args.url, args.bucket, args.key, args.file)


if __name__ == '__main__':
    main()
