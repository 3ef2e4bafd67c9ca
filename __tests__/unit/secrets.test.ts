import { describe, it, expect } from '@jest/globals'
import { scrub } from '../../src/secret.js'

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

  it('handles overlapping occurrences left to right', () => {
    expect(scrub('aaaaaaaaa', ['aaaa'])).toBe('******a')
  })
})
