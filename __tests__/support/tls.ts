import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'

export interface TestCertificates {
  dir: string
  /** The private CA's certificate (PEM): what NODE_EXTRA_CA_CERTS would name. */
  caFile: string
  /** A server key and certificate signed by that CA, for the names given. */
  key: string
  cert: string
  /** A self-signed server certificate (no CA) for the same names, and its key. */
  selfSigned: { key: string; cert: string }
  remove(): void
}

/** Made with openssl at test time (nothing secret is committed); the caller removes the folder. */
export function makeCertificates(subjectAltName = 'IP:127.0.0.1'): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'draftclip-tls-'))
  const file = (name: string): string => path.join(dir, name)
  const openssl = (...args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe' })
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=draftclip test CA'
  )
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=draftclip test server'
  )
  fs.writeFileSync(file('ext.cnf'), `subjectAltName=${subjectAltName}\n`)
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '2',
    '-extfile',
    file('ext.cnf')
  )
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('self.key'),
    '-out',
    file('self.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=127.0.0.1',
    '-addext',
    `subjectAltName=${subjectAltName}`
  )
  const read = (name: string): string => fs.readFileSync(file(name), 'utf8')
  return {
    dir,
    caFile: file('ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
    selfSigned: { key: read('self.key'), cert: read('self.pem') },
    remove: () => fs.rmSync(dir, { recursive: true, force: true })
  }
}
