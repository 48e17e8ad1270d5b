#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""make-corpus.py — (re)writes the seed files of tests/fuzz/corpus/

Seeds come from the shared samples (../shared/testdata: aws, azure, cur,
focus), cut to a few rows so that each run is fast, and from the test data
in tests/. Regression inputs (corpus/*/regress-*) are written by hand and
never touched here. Run from the worktree root:  tests/fuzz/make-corpus.py
"""
import gzip
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.environ.get('CUMULUS_SHARED_DIR', os.path.join(ROOT, '..', 'shared'))
TD = os.path.join(SHARED, 'testdata')
CORPUS = os.path.join(ROOT, 'tests', 'fuzz', 'corpus')
SEP = b'\n--8<--\n'


def read(*parts):
    with open(os.path.join(*parts), 'rb') as f:
        return f.read()


def head(data, n):
    return b''.join(data.splitlines(keepends=True)[:n])


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'seed-' + name), 'wb') as f:
        f.write(data)


def gz(data):
    return gzip.compress(data, mtime=0)


def main():
    focus = read(TD, 'focus', 'sample-focus.csv')
    cur = read(TD, 'cur', 'sample-cur.csv')
    azure_csv = read(ROOT, 'tests', 'import', 'data', 'azure-cost-details.csv')

    # CSV reader: byte 0 picks whole reads (< 128) or 1–16 byte reads
    for name, data in [('focus', head(focus, 6)), ('cur', head(cur, 6)), ('azure', head(azure_csv, 6))]:
        put('csv', name + '.csv', b'\x00' + data)
        put('csv', name + '-chunked.csv', b'\x85' + data)
    put('csv', 'quotes.csv', b'\x00a,"b ""q"" c","multi\nline"\r\n1,,"x"\n')
    put('csv', 'focus.csv.gz', b'\x00' + gz(head(focus, 4)))

    # importer: the three formats, plain and gzip, and a whole sample
    put('import', 'focus.csv', head(focus, 9))
    put('import', 'cur.csv', head(cur, 9))
    put('import', 'azure.csv', head(azure_csv, 9))
    put('import', 'focus.csv.gz', gz(head(focus, 5)))
    put('import', 'focus-full.csv', focus)

    # money
    for i, text in enumerate([b'0', b'12.34', b'-0.000001', b'1e3', b'1.5E-2', b'  7.25 ',
                              b'9223372036854.775807', b'-9223372036854.775808', b'0.0000005',
                              b'1,234.56', b'$5', b'']):
        put('money', '%02d' % i, text)

    # dates and times
    for i, text in enumerate([b'2024-02-29', b'2023-02-29', b'2024-05-01T00:00:00Z',
                              b'2024-05-01 12:34:56.789+05:30', b'0000-01-01T00:00-01:00',
                              b'9999-12-31T23:59:60+00:00', b'2024-13-01', b'1969-12-31t23:59']):
        put('date', '%02d' % i, text)

    # series: the test data, cut
    sdir = os.path.join(ROOT, 'tests', 'data', 'series')
    for name in sorted(os.listdir(sdir)):
        if name.endswith('.csv'):
            put('series', name, head(read(sdir, name), 40))
    put('series', 'monthly.csv', b'date,value\n2023-11-30,1\n2023-12-31,2\n2024-01-31,3\n')
    put('series', 'hourly-tz.csv', b'timestamp,value\n2024-12-31 22:00:00,1\n2024-12-31T23:00:00Z,2\n2025-01-01 00:00+00:00,3\n')

    # STS: AssumeRole answer, then GetCallerIdentity; error bodies
    aws = os.path.join(TD, 'aws')
    put('sts', 'assume-then-identity.xml',
        read(aws, 'sts-assume-role.xml').replace(b'2024-05-20T13:34:41Z', b'2099-05-20T13:34:41Z')
        + SEP + read(aws, 'sts-get-caller-identity.assumed-role.xml'))
    for name in ['sts-error-access-denied.xml', 'sts-error-expired-token.xml',
                 'sts-error-invalid-client-token-id.xml', 'sts-error-signature-does-not-match.xml']:
        put('sts', name, b'HTTP 403\n' + read(aws, name))
    put('sts', 'ec2-describe-volumes.xml', read(aws, 'ec2-describe-volumes.xml'))

    # Cost Explorer: SERVICE × LINKED_ACCOUNT, SERVICE × REGION, SERVICE × TAG:team
    def ce_page(keys_amounts, token=None, estimated=False):
        groups = [{'Keys': list(k), 'Metrics': {'UnblendedCost': {'Amount': a, 'Unit': 'USD'},
                                               'AmortizedCost': {'Amount': a, 'Unit': 'USD'}}}
                  for k, a in keys_amounts]
        page = {'GroupDefinitions': [], 'ResultsByTime': [
            {'TimePeriod': {'Start': '2024-05-01', 'End': '2024-05-02'}, 'Total': {},
             'Groups': groups, 'Estimated': estimated}]}
        if token:
            page['NextPageToken'] = token
        return json.dumps(page, indent=1).encode()

    acct = ce_page([(('AmazonEC2', '111111111111'), '10.5'), (('AmazonEC2', '222222222222'), '4.25'),
                    (('AmazonS3', '111111111111'), '1.000001')])
    region = ce_page([(('AmazonEC2', 'us-east-1'), '8'), (('AmazonEC2', 'eu-west-1'), '6.75'),
                      (('AmazonS3', 'us-east-1'), '1.000001')])
    tag = ce_page([(('AmazonEC2', 'team$data'), '9'), (('AmazonEC2', 'team$'), '5.75'),
                   (('AmazonS3', 'team$web'), '1.000001')], estimated=True)
    put('ce', 'three-queries.json', acct + SEP + region + SEP + tag)
    put('ce', 'paged.json', ce_page([(('AmazonEC2', '111111111111'), '1')], token='NEXT') + SEP
        + ce_page([(('AmazonRDS', '111111111111'), '2')]) + SEP + region + SEP + tag)
    put('ce', 'credit.json', ce_page([(('AmazonEC2', '111111111111'), '-3.5'), (('AmazonEC2', '222222222222'), '4')])
        + SEP + ce_page([(('AmazonEC2', 'us-east-1'), '2'), (('AmazonEC2', 'eu-west-1'), '-1.5')]) + SEP + tag)
    put('ce', 'sample-by-service.json', read(aws, 'ce-get-cost-and-usage.daily-by-service.page2.json'))
    put('ce', 'sample-account-region.json', read(aws, 'ce-get-cost-and-usage.monthly-by-account-and-region.json'))
    for name in ['ce-error-validation.json', 'ce-error-invalid-next-token.json']:
        put('ce', name, b'HTTP 400\n' + read(aws, name))
    put('ce', 'ce-error-limit-exceeded.json', b'HTTP 400\n' + read(aws, 'ce-error-limit-exceeded.json'))

    # Azure: the token answer first, then the ActualCost and AmortizedCost pages
    az = os.path.join(TD, 'azure')
    token = read(az, 'token-response.json')

    def az_page(rows, next_link=None):
        props = {'columns': [{'name': 'Cost', 'type': 'Number'}, {'name': 'UsageDate', 'type': 'Number'},
                             {'name': 'ServiceName', 'type': 'String'},
                             {'name': 'ResourceLocation', 'type': 'String'},
                             {'name': 'Currency', 'type': 'String'}],
                 'rows': rows, 'nextLink': next_link}
        return json.dumps({'properties': props}, indent=1).encode()

    actual = az_page([[12.5, 20240501, 'Virtual Machines', 'westeurope', 'EUR'],
                      [0.123456789, 20240502, 'Storage', None, 'EUR']])
    amortized = az_page([[11.25, 20240501, 'Virtual Machines', 'westeurope', 'EUR']])
    put('azure', 'actual-amortized.json', token + SEP + actual + SEP + amortized)
    put('azure', 'sample-pages.json', token + SEP + read(az, 'query-response.daily-by-service.page2.json')
        + SEP + read(az, 'query-response.monthly-amortized-by-location.json'))
    put('azure', 'empty.json', token + SEP + read(az, 'query-response.empty.json'))
    put('azure', 'token-error.json', b'HTTP 401\n' + read(az, 'token-error-invalid-client.json'))
    put('azure', 'query-error-403.json', token + SEP + b'HTTP 403\n' + read(az, 'query-error-403.json'))
    put('azure', 'query-error-429.json', token + SEP + b'HTTP 429\n' + read(az, 'query-error-429.json'))


if __name__ == '__main__':
    sys.exit(main())
