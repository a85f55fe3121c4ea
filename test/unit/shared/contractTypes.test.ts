import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { createOrderRequest, signCsrRequest } from '../../../electron/shared/contract';
import {
  type CertificatePolicy,
  type CreateOrderRequest,
  type InputOf,
  type LinesideApi,
  type Operations,
  type RequestOf,
  type SignCsrRequest,
  type VoidReason,
} from '../../../electron/shared/contract';
import type { Services } from '../../../electron/core/services';

// These are compile-time checks: `npm run typecheck` fails when one does not hold; vitest runs the
// file so a reader sees them listed with the other contract tests.
describe('the contract types', () => {
  it('derives a request type from its schema: the parsed output is what the service receives', () => {
    expectTypeOf<CreateOrderRequest>().toEqualTypeOf<z.output<typeof createOrderRequest>>();
    expectTypeOf<RequestOf<'createOrder'>>().toEqualTypeOf<CreateOrderRequest>();
    expectTypeOf<Parameters<Services['createOrder']>[0]>().toEqualTypeOf<CreateOrderRequest>();
    expectTypeOf<CreateOrderRequest['quantity']>().toEqualTypeOf<number>();
    expectTypeOf<CreateOrderRequest['orderId']>().toEqualTypeOf<string | undefined>();
  });

  it('lets a client send the schema input: defaults may be left out, the service gets them filled', () => {
    type PolicyIn = NonNullable<InputOf<'signCsr'>['policy']>;
    type PolicyOut = NonNullable<SignCsrRequest['policy']>;
    expectTypeOf<InputOf<'signCsr'>>().toEqualTypeOf<z.input<typeof signCsrRequest>>();
    expectTypeOf<PolicyIn['keySource']>().toEqualTypeOf<'host' | 'device' | undefined>();
    expectTypeOf<PolicyOut['keySource']>().toEqualTypeOf<'host' | 'device'>();
    expectTypeOf<PolicyOut>().toEqualTypeOf<CertificatePolicy>();
    expectTypeOf<Parameters<LinesideApi['certs']['signCsr']>[0]>().toEqualTypeOf<InputOf<'signCsr'>>();
  });

  it('takes no argument for an operation without one', () => {
    expectTypeOf<InputOf<'listOrders'>>().toEqualTypeOf<void>();
    expectTypeOf<RequestOf<'listOrders'>>().toEqualTypeOf<void>();
    // Callable with nothing.
    expectTypeOf<LinesideApi['orders']['list']>().toBeCallableWith();
  });

  it('derives shared value types from their schemas', () => {
    expectTypeOf<VoidReason>().toEqualTypeOf<'scrap' | 'test' | 'label-damaged'>();
    expectTypeOf<keyof Operations>().toEqualTypeOf<keyof Services>();
  });
});
