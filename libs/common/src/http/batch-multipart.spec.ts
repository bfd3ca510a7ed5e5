import { describe, expect, it } from 'vitest';
import { boundaryOf, formatBatch, parseBatch } from './batch-multipart';

// The shape gcloud sends (googleapiclient/apitools batch: CRLF, application/http parts with Content-ID).
const GCLOUD_BATCH = [
  '--===============7330845974216740156==',
  'Content-Type: application/http',
  'MIME-Version: 1.0',
  'Content-Transfer-Encoding: binary',
  'Content-ID: <a1b2+0>',
  '',
  'DELETE /compute/v1/projects/p/global/firewalls/one?alt=json HTTP/1.1',
  'Content-Type: application/json',
  'MIME-Version: 1.0',
  'accept: application/json',
  'content-length: 0',
  '',
  '',
  '--===============7330845974216740156==',
  'Content-Type: application/http',
  'MIME-Version: 1.0',
  'Content-Transfer-Encoding: binary',
  'Content-ID: <a1b2+1>',
  '',
  'POST http://127.0.0.1:8085/compute/v1/projects/p/global/networks?alt=json HTTP/1.1',
  'Content-Type: application/json',
  '',
  '{"name": "n", "autoCreateSubnetworks": false}',
  '--===============7330845974216740156==--',
  '',
].join('\r\n');

describe('batch multipart', () => {
  it('finds the boundary, quoted or not', () => {
    expect(boundaryOf('multipart/mixed; boundary="===============7330845974216740156=="')).toBe(
      '===============7330845974216740156==',
    );
    expect(boundaryOf('multipart/mixed; boundary=batch_abc')).toBe('batch_abc');
    expect(boundaryOf('application/json')).toBeNull();
  });

  it('parses each part into one request, dropping the scheme and host', () => {
    const parts = parseBatch(GCLOUD_BATCH, '===============7330845974216740156==');
    expect(parts).toEqual([
      {
        contentId: 'a1b2+0',
        method: 'DELETE',
        path: '/compute/v1/projects/p/global/firewalls/one?alt=json',
        headers: {
          'content-type': 'application/json',
          'mime-version': '1.0',
          accept: 'application/json',
          'content-length': '0',
        },
        body: '',
      },
      {
        contentId: 'a1b2+1',
        method: 'POST',
        path: '/compute/v1/projects/p/global/networks?alt=json',
        headers: { 'content-type': 'application/json' },
        body: '{"name": "n", "autoCreateSubnetworks": false}',
      },
    ]);
  });

  it('rejects bodies with no request in them', () => {
    expect(() =>
      parseBatch('--b\r\nContent-Type: application/http\r\n\r\nnot a request\r\n--b--', 'b'),
    ).toThrow();
    expect(() => parseBatch('nothing', 'b')).toThrow();
  });

  it('formats answers in order with response Content-IDs', () => {
    const text = formatBatch(
      [
        {
          contentId: 'x+0',
          status: 200,
          statusText: 'OK',
          headers: { 'Content-Type': 'application/json' },
          body: '{}',
        },
      ],
      'batch_1',
    );
    expect(text).toBe(
      '--batch_1\r\nContent-Type: application/http\r\nContent-ID: <response-x+0>\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n{}\r\n--batch_1--\r\n',
    );
  });
});
