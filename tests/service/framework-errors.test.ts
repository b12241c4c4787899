// The service's table of Anchor framework errors (codes below 6000) is Anchor's own.
import * as anchor from '@coral-xyz/anchor';
import { expect } from 'chai';

import { FRAMEWORK_ERRORS } from '../../service/src/framework-errors';

describe('Anchor framework errors', () => {
  it('the service table is @coral-xyz/anchor 0.31.1 LangErrorCode with LangErrorMessage', () => {
    const codes = Object.entries(anchor.LangErrorCode as Record<string, number>);
    const messages = anchor.LangErrorMessage as Map<number, string>;
    expect([...FRAMEWORK_ERRORS]).to.deep.equal(
      codes.map(([name, code]) => [code, { name, message: messages.get(code) }]),
    );
  });
});
