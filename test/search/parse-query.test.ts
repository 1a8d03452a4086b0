import { describe, expect, it } from 'vitest';
import { parseQuery } from '../../app/search/parse-query.js';

describe('parseQuery', () => {
  it.each([
    ['boats on a lake at sunset', 'boats on a lake at sunset', []],
    ['beach -people', 'beach', ['people']],
    ['beach -"red car" -dog', 'beach', ['red car', 'dog']],
    ['a beach without people', 'a beach', ['people']],
    ['a beach without people or umbrellas', 'a beach', ['people', 'umbrellas']],
    ['mountains but not snow', 'mountains', ['snow']],
    ['black-and-white portrait', 'black-and-white portrait', []],
  ])('%s', (raw, positive, negatives) => {
    expect(parseQuery(raw)).toEqual({ positive, negatives });
  });
});
