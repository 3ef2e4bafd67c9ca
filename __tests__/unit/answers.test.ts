import { describe, it, expect } from '@jest/globals'
import { aboutAnotherVideo, parseBody, quoteNumericIds, readStatus, uploadAnswer } from '../../src/draftclip/answers.js'

const ID = '7123456789012345678'
const POST = '7234567890123456789'

describe('quoteNumericIds', () => {
  it('keeps a 19-digit publish_id and post id digit for digit', () => {
    const text = `{"success":true,"data":{"publish_id":${ID},"status":"PUBLISH_COMPLETE","publicaly_available_post_id":${POST}}}`
    expect(quoteNumericIds(text)).toBe(
      `{"success":true,"data":{"publish_id":"${ID}","status":"PUBLISH_COMPLETE","publicaly_available_post_id":"${POST}"}}`
    )
    const data = JSON.parse(quoteNumericIds(text)).data
    expect(data.publish_id).toBe(ID)
    expect(data.publicaly_available_post_id).toBe(POST)
    // Without it both would lose digits.
    expect(String(JSON.parse(text).data.publish_id)).not.toBe(ID)
  })

  it('keeps every id of an array of numbers, publish ids and post ids alike', () => {
    const text = `{"publish_id": [ ${ID}, 7123456789012345679 ], "publicly_available_post_id":[${POST}]}`
    expect(JSON.parse(quoteNumericIds(text))).toEqual({
      publish_id: [ID, '7123456789012345679'],
      publicly_available_post_id: [POST]
    })
  })

  it('quotes an id at the end of an object or an array, with white space before the comma', () => {
    expect(quoteNumericIds(`{"publish_id" : ${ID} }`)).toBe(`{"publish_id" : "${ID}" }`)
    expect(quoteNumericIds(`[{"publish_id":${ID}}]`)).toBe(`[{"publish_id":"${ID}"}]`)
    expect(quoteNumericIds(`{"publish_id":${ID}\n,"x":1}`)).toBe(`{"publish_id":"${ID}"\n,"x":1}`)
  })

  it('leaves other numbers, strings, null and text that is not JSON alone', () => {
    for (const text of [
      `{"publish_id":"${ID}"}`,
      '{"publish_id":null}',
      `{"size":${ID},"is_complete":true}`,
      `{"my_publish_id":${ID}}`,
      '{"publish_id":-5}',
      'publish_id: 7123456789012345678'
    ]) {
      expect(quoteNumericIds(text)).toBe(text)
    }
  })

  it('parseBody gives the ids as text, and undefined for a body that is not JSON', () => {
    expect(parseBody(`{"data":{"publish_id":${ID}}}`)).toEqual({ data: { publish_id: ID } })
    expect(parseBody(`{"data":{"publish_id":${ID},"desc`)).toBeUndefined()
    expect(parseBody('')).toBeUndefined()
  })
})

describe('uploadAnswer', () => {
  it('reads a JSON answer: the id, success and error', () => {
    expect(uploadAnswer({ success: false, error: 'Quota exceeded', data: { publish_id: 'v_1' } }, '')).toEqual({
      publishId: 'v_1',
      success: false,
      error: 'Quota exceeded'
    })
    expect(uploadAnswer({ success: true, error: '  ' }, '')).toEqual({ publishId: undefined, success: true, error: undefined })
  })

  it('reads a numeric publish id as text', () => {
    expect(uploadAnswer({ success: true, data: { publish_id: 42 } }, '').publishId).toBe('42')
  })

  it('finds a publish id in a body cut short (not valid JSON)', () => {
    const text = `{"success":true,"message":"Video uploaded successfully","data":{"publish_id":"v_pub_123","description":"${'x'.repeat(50)}`
    expect(() => JSON.parse(text)).toThrow()
    expect(uploadAnswer(parseBody(text), text)).toEqual({ publishId: 'v_pub_123', success: undefined, error: undefined })
  })

  it('finds a numeric publish id in a body cut short, digit for digit', () => {
    const text = `{"success":true,"data":{"publish_id":${ID},"description":"cut her`
    expect(uploadAnswer(parseBody(text), text).publishId).toBe(ID)
  })

  it('finds a publish id in a page around the JSON', () => {
    const text = `<html><pre>{"success": true, "data": {"publish_id" : "v_in_page"}}</pre></html>`
    expect(uploadAnswer(parseBody(text), text).publishId).toBe('v_in_page')
  })

  it('finds none in a body without one, nor in an id cut inside its quotes', () => {
    expect(uploadAnswer(undefined, '<h1>502 Bad Gateway</h1>').publishId).toBeUndefined()
    expect(uploadAnswer(undefined, '{"data":{"publish_id":"v_cut').publishId).toBeUndefined()
    expect(uploadAnswer(undefined, '{"data":{"publish_id":""}').publishId).toBeUndefined()
  })
})

describe('readStatus: which video the answer is about', () => {
  const answer = (data: Record<string, unknown>): unknown => ({ success: true, data: { status: 'PUBLISH_COMPLETE', ...data } })

  it('rejects an answer about another publish id (its post id is not ours)', () => {
    expect(readStatus(answer({ publish_id: 'other', publicaly_available_post_id: POST }), 'p')).toBeUndefined()
    expect(aboutAnotherVideo(answer({ publish_id: 'other' }), 'p')).toBe(true)
  })

  it('accepts an answer about this publish id, numeric or string', () => {
    expect(readStatus(answer({ publish_id: 'p', publicaly_available_post_id: POST }), 'p')?.postId).toBe(POST)
    expect(readStatus(parseBody(`{"success":true,"data":{"publish_id":${ID},"status":"PROCESSING"}}`), ID)?.status).toBe('PROCESSING')
    expect(readStatus(answer({ publish_id: 42 }), '42')?.status).toBe('PUBLISH_COMPLETE')
    expect(aboutAnotherVideo(answer({ publish_id: 'p' }), 'p')).toBe(false)
  })

  it('accepts an answer without publish_id', () => {
    expect(readStatus(answer({ publicaly_available_post_id: POST }), 'p')).toEqual({
      status: 'PUBLISH_COMPLETE',
      isComplete: true,
      postId: POST,
      failReason: undefined,
      description: undefined
    })
    expect(aboutAnotherVideo(answer({}), 'p')).toBe(false)
  })

  it('reads status_description', () => {
    expect(readStatus(answer({ status_description: 'Video has been published' }), 'p')?.description).toBe('Video has been published')
    expect(readStatus(answer({ status_description: '' }), 'p')?.description).toBeUndefined()
  })
})
