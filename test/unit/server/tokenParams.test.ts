import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tokenParamsProblem } from '../../../src/server/token/tokenParams.js';

test('well-formed token requests pass: repeated GET scopes, space-separated POST scope, unknown extras', () => {
  assert.equal(
    tokenParamsProblem('get', {
      service: 'registry.test',
      scope: ['repository:a/b:pull', 'repository:c/d:pull'],
      offline_token: 'true',
      client_id: 'docker',
      extra: 'x',
    }),
    undefined,
  );
  assert.equal(tokenParamsProblem('get', {}), undefined);
  assert.equal(
    tokenParamsProblem('post', {
      grant_type: 'refresh_token',
      refresh_token: 't',
      service: 's',
      scope: 'repository:a:pull repository:b:pull',
      access_type: 'offline',
    }),
    undefined,
  );
});

test('malformed token requests name the parameter', () => {
  assert.match(tokenParamsProblem('post', {}) ?? '', /grant_type is required/);
  assert.match(tokenParamsProblem('post', { grant_type: 'client_credentials' }) ?? '', /grant_type must be one of \["password","refresh_token"\]/);
  assert.match(tokenParamsProblem('post', { grant_type: 'password', password: ['a', 'b'] }) ?? '', /password must be string/);
  assert.match(tokenParamsProblem('get', { service: ['a', 'b'] }) ?? '', /service must be string/);
  assert.match(tokenParamsProblem('get', { offline_token: 'yes' }) ?? '', /offline_token must be one of/);
  assert.equal(
    tokenParamsProblem('get', { scope: Array.from({ length: 101 }, () => 'repository:a:pull') }),
    undefined,
    'the route counts scopes itself, with its own message',
  );
  assert.match(tokenParamsProblem('get', { scope: Array.from({ length: 1001 }, () => 'repository:a:pull') }) ?? '', /scope/);
  assert.match(
    tokenParamsProblem('post', { grant_type: 'refresh_token', refresh_token: 'x'.repeat(5000) }) ?? '',
    /refresh_token must NOT have more than 4096 characters/,
  );
});
