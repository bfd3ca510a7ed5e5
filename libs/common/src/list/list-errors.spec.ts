import { describe, expect, it } from 'vitest';
import {
  ListFilterError,
  ListMaxResultsError,
  ListOrderByError,
  ListPageTokenError,
  ListQueryError,
  type ListQueryField,
} from './list-errors';

describe('list query errors', () => {
  it.each<[error: ListQueryError, field: ListQueryField, name: string, message: string]>([
    [
      new ListFilterError("name = 'x"),
      'filter',
      'ListFilterError',
      "Invalid value for field 'filter': 'name = 'x'. Invalid list filter expression.",
    ],
    [
      new ListOrderByError('id'),
      'orderBy',
      'ListOrderByError',
      "Invalid value for field 'orderBy': 'id'. Unsupported sort order.",
    ],
    [
      new ListMaxResultsError('501', 'tooLarge'),
      'maxResults',
      'ListMaxResultsError',
      "Invalid value for field 'maxResults': '501'. Must be less than or equal to 500",
    ],
    [
      new ListMaxResultsError('-1', 'negative'),
      'maxResults',
      'ListMaxResultsError',
      "Invalid value for field 'maxResults': '-1'. Must be greater than or equal to 0",
    ],
    [
      new ListMaxResultsError('a', 'notAnInteger'),
      'maxResults',
      'ListMaxResultsError',
      "Invalid value for field 'maxResults': 'a'. Must be an integer between 0 and 500",
    ],
    [
      new ListPageTokenError('t'),
      'pageToken',
      'ListPageTokenError',
      "Invalid value for field 'pageToken': 't'. Invalid page token.",
    ],
  ])('%s', (error, field, name, message) => {
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(ListQueryError);
    expect(error.field).toBe(field);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
    expect(error.reason).toBe('invalid');
  });
});
