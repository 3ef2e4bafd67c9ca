import { createHash } from 'node:crypto'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { startSandbox, type Sandbox } from '../../sandbox/server.js'
import { DraftClipClient } from '../../src/draftclip/client.js'
import { API_KEY, runAction, workspace, writeMp4 } from '../support/action.js'
import { runInProcess } from '../support/in-process.js'
import { makeCertificates, type TestCertificates } from '../support/tls.js'

/**
 * A runner that does not trust the host's certificate (an inspecting proxy, a
 * private CA): real HTTPS on 127.0.0.1 with certificates openssl makes now.
 * Nothing in the action trusts them but NODE_EXTRA_CA_CERTS, as in a real job.
 */

let certs: TestCertificates
let localhostOnly: TestCertificates
let sandbox: Sandbox | undefined
beforeAll(() => {
  certs = makeCertificates('IP:127.0.0.1')
  localhostOnly = makeCertificates('DNS:localhost')
})
afterAll(() => {
  certs.remove()
  localhostOnly.remove()
})
afterEach(async () => {
  await sandbox?.close()
  sandbox = undefined
})

const inputs = (url: string): Record<string, string> => ({
  'api-key': API_KEY,
  'base-url': url,
  videos: 'v/*.mp4',
  description: 'x',
  'poll-interval': '0.05',
  retries: '3'
})

describe('the client records a refused certificate as such', () => {
  it.each([
    ['self-signed', () => certs.selfSigned, 'DEPTH_ZERO_SELF_SIGNED_CERT'],
    ['signed by a CA the runner does not have', () => ({ key: certs.key, cert: certs.cert }), 'UNABLE_TO_VERIFY_LEAF_SIGNATURE']
  ])('%s: %s', async (_label, tls, code) => {
    sandbox = await startSandbox({ tls: tls() })
    const client = new DraftClipClient({
      baseUrl: new URL(sandbox.url),
      apiKey: API_KEY,
      connectMs: 2000,
      responseMs: 2000,
      stallMs: 2000,
      useProxy: false
    })
    try {
      const attempt = await client.upload({
        name: 'a.mp4',
        size: 1,
        contentType: 'video/mp4',
        fields: { description: 'x' },
        chunks: async function* () {
          yield { chunk: Buffer.from('x'), total: 1 }
        }
      })
      expect(attempt).toMatchObject({ kind: 'no-answer', code, bodySent: false, untrustedCertificate: true })
    } finally {
      await client.close()
    }
    expect(sandbox.requests).toEqual([])
  })
})

describe('a run against a host whose certificate the runner does not trust', () => {
  it('tries once, sends nothing, names the host and NODE_EXTRA_CA_CERTS, and stops the other uploads', async () => {
    sandbox = await startSandbox({ tls: certs.selfSigned })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    writeMp4(path.join(ws, 'v/b.mp4'), 5000)
    const run = await runInProcess(ws, inputs(sandbox.url))
    expect(run.code).toBe(1)
    expect(sandbox.tlsClientErrors).toBe(1)
    expect(sandbox.requests).toEqual([])
    expect(run.results.map(r => r.status)).toEqual(['UPLOAD_FAILED', 'NOT_ATTEMPTED'])
    expect(run.stdout).toContain(`does not trust the TLS certificate of ${sandbox.url} (DEPTH_ZERO_SELF_SIGNED_CERT`)
    expect(run.stdout).toContain('NODE_EXTRA_CA_CERTS')
    expect(run.stdout).not.toContain('the connection broke')
    expect(run.stdout).not.toContain('attempt 2 of 4')
  })

  it('status requests too: a video the ledger follows is asked about once, and the run stops saying why', async () => {
    sandbox = await startSandbox({ tls: certs.selfSigned })
    const ws = workspace()
    const video = writeMp4(path.join(ws, 'v/a.mp4'))
    const hash = createHash('sha256').update(fs.readFileSync(video)).digest('hex')
    // Published by an earlier run, public and its post id not known yet: this run asks DraftClip for it.
    const entry = {
      file: 'v/a.mp4',
      status: 'PUBLISH_COMPLETE',
      publish_id: 'v_pub_earlier',
      post_id: null,
      fail_reason: null,
      updated_at: '2026-12-01T00:00:00.000Z'
    }
    fs.writeFileSync(path.join(ws, 'ledger.json'), JSON.stringify({ version: 1, videos: { [hash]: entry } }))
    const run = await runInProcess(ws, {
      ...inputs(sandbox.url),
      ledger: 'ledger.json',
      'wait-timeout': '30',
      'privacy-level': 'PUBLIC_TO_EVERYONE'
    })
    expect(run.code).toBe(1)
    expect(run.results[0]).toMatchObject({ status: 'SKIPPED', publish_id: 'v_pub_earlier' })
    expect(sandbox.tlsClientErrors).toBe(1)
    expect(run.stdout).toContain(`does not trust the TLS certificate of ${sandbox.url} (DEPTH_ZERO_SELF_SIGNED_CERT`)
    expect(run.stdout).not.toContain('status request 2 failed')
  })

  it('on Node 24, as the runner runs it: refused without NODE_EXTRA_CA_CERTS, published with it', async () => {
    sandbox = await startSandbox({ tls: { key: certs.key, cert: certs.cert }, pollsToComplete: 1 })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const refused = await runAction(ws, inputs(sandbox.url))
    expect(refused.code).toBe(1)
    expect(refused.results[0].status).toBe('UPLOAD_FAILED')
    expect(String(refused.results[0].error)).toContain('(UNABLE_TO_VERIFY_LEAF_SIGNATURE')
    expect(refused.stdout).toContain('NODE_EXTRA_CA_CERTS')
    expect(sandbox.tlsClientErrors).toBe(1)

    const trusted = await runAction(ws, inputs(sandbox.url), { NODE_EXTRA_CA_CERTS: certs.caFile })
    expect(trusted.code).toBe(0)
    expect(trusted.results[0].status).toBe('PUBLISH_COMPLETE')
    expect(sandbox.uploads).toHaveLength(1)
  })

  it('on Node 24: a trusted CA but a name the certificate does not cover (ERR_TLS_CERT_ALTNAME_INVALID) is not retried either', async () => {
    sandbox = await startSandbox({ tls: { key: localhostOnly.key, cert: localhostOnly.cert } })
    const ws = workspace()
    writeMp4(path.join(ws, 'v/a.mp4'))
    const run = await runAction(ws, inputs(sandbox.url), { NODE_EXTRA_CA_CERTS: localhostOnly.caFile })
    expect(run.code).toBe(1)
    expect(String(run.results[0].error)).toContain('(ERR_TLS_CERT_ALTNAME_INVALID')
    expect(sandbox.tlsClientErrors).toBe(1)
    expect(sandbox.requests).toEqual([])
  })
})
