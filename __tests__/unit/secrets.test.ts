import { describe, it, expect } from '@jest/globals'
import { scrub, SECRET_RUN } from '../../src/secrets.js'

describe('scrub', () => {
  it('replaces every occurrence of a secret', () => {
    expect(scrub('key ttapi_abc123 and again ttapi_abc123.', ['ttapi_abc123'])).toBe('key *** and again ***.')
  })

  it('replaces secrets inside JSON and URLs', () => {
    expect(scrub('{"auth":"Bearer ttapi_abc123"} https://x/?k=ttapi_abc123', ['ttapi_abc123'])).toBe(
      '{"auth":"Bearer ***"} https://x/?k=***'
    )
  })

  it('replaces several secrets', () => {
    expect(scrub('one:AAAA two:BBBBB', ['AAAA', 'BBBBB'])).toBe('one:*** two:***')
  })

  it('treats the secret literally, not as a pattern', () => {
    expect(scrub('a.b+c a_b+c ab+c', ['a.b+c'])).toBe('*** a_b+c ab+c')
    expect(scrub('x$&y', ['$&y!'])).toBe('x$&y')
    expect(scrub('x$&y!', ['$&y!'])).toBe('x***')
  })

  it('ignores undefined, empty and secrets shorter than 4 characters', () => {
    expect(scrub('abc abcd', [undefined, '', 'abc'])).toBe('abc abcd')
    expect(scrub('abc abcd', ['abcd'])).toBe('abc ***')
  })

  it('leaves text without secrets unchanged', () => {
    expect(scrub('nothing here', ['ttapi_zzz'])).toBe('nothing here')
    expect(scrub('', ['ttapi_zzz'])).toBe('')
    expect(scrub('text', [])).toBe('text')
  })

  // Changed: overlapping occurrences are now hidden as one run (no trailing character of a secret survives).
  it('hides overlapping occurrences as one run', () => {
    expect(scrub('aaaaaaaaa', ['aaaa'])).toBe('***')
    expect(scrub('xaaaaaay', ['aaaa'])).toBe('x***y')
  })
})

describe('scrub: any part of the key', () => {
  const KEY = 'ttapi_9f8e7d6c5b4a3210fedcba98'

  /** Every run of `n` characters of the key. */
  const runs = (n: number): string[] => Array.from({ length: KEY.length - n + 1 }, (_, i) => KEY.slice(i, i + n))

  it('hides the whole key', () => {
    expect(scrub(`Authorization: Bearer ${KEY}\n`, [KEY])).toBe('Authorization: Bearer ***\n')
  })

  it('hides a key cut after 20 characters, leaving nothing of 8 or more characters of it', () => {
    const out = scrub(`{"error":"Invalid API key ${KEY.slice(0, 20)}"}`, [KEY])
    expect(out).toBe('{"error":"Invalid API key ***"}')
    for (const run of runs(SECRET_RUN)) expect(out).not.toContain(run)
  })

  it('hides every run of 8 or more characters of the key, wherever it starts and ends', () => {
    expect(SECRET_RUN).toBe(8)
    for (let i = 0; i < KEY.length; i++) {
      for (let j = i + SECRET_RUN; j <= KEY.length; j++) {
        expect(scrub(`<${KEY.slice(i, j)}>`, [KEY])).toBe('<***>')
      }
    }
  })

  it('leaves a run shorter than 8 characters (too common to hide)', () => {
    expect(scrub(`prefix ${KEY.slice(0, 7)} end`, [KEY])).toBe(`prefix ${KEY.slice(0, 7)} end`)
  })

  it('a run of the key inside other text is hidden with its neighbours kept', () => {
    expect(scrub(`abc${KEY.slice(5, 17)}xyz`, [KEY])).toBe('abc***xyz')
  })

  it('hides two secrets, and parts of both', () => {
    const token = 'ghs_ABCDEFGHIJKLMNOPQRSTUV'
    expect(scrub(`key=${KEY} token=${token}`, [KEY, token])).toBe('key=*** token=***')
    expect(scrub(`key=${KEY.slice(3, 15)} token=${token.slice(10)}`, [KEY, token])).toBe('key=*** token=***')
    expect(scrub(`only the token: ${token}`, [undefined, KEY, token])).toBe('only the token: ***')
  })

  it('overlapping runs of two secrets are hidden as one', () => {
    expect(scrub('<abcdefgh12345678xy>', ['abcdefgh12', '12345678xy'])).toBe('<***>')
  })

  it('runs that only touch are hidden as one; runs apart are hidden apart', () => {
    expect(scrub('AAAAAAAABBBBBBBB', ['AAAAAAAA', 'BBBBBBBB'])).toBe('***')
    expect(scrub('AAAAAAAA-BBBBBBBB', ['AAAAAAAA', 'BBBBBBBB'])).toBe('***-***')
  })

  it('a repeated key is hidden at each place', () => {
    expect(scrub(`${KEY} and ${KEY.slice(0, 9)}`, [KEY])).toBe('*** and ***')
  })

  it('a secret of 4 to 7 characters is hidden whole only', () => {
    expect(scrub('x abcdef y abcde', ['abcdef'])).toBe('x *** y abcde')
  })
})
