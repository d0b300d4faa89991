import { describe, expect, it } from 'vitest';
import { FaultQueue } from './faults.ts';

const drawMany = (faults: FaultQueue, endpoint: string, times: number) =>
  Array.from({ length: times }, () => faults.draw(endpoint));

describe('random faults', () => {
  it('inject each kind at about its rate, and count what they injected', () => {
    const faults = new FaultQueue();
    faults.setRandom({
      seed: 7,
      rules: [
        { kind: 'server_error', rate: 0.1 },
        { kind: 'timeout', rate: 0.05 },
        { kind: 'answer_lost', rate: 0.03 },
        { kind: 'rate_limit', rate: 0.02 },
      ],
    });
    const drawn = drawMany(faults, 'graph.ig.media.create', 20_000);
    const share = (kind: string) => drawn.filter((item) => item === kind).length / drawn.length;
    expect(share('server_error')).toBeCloseTo(0.1, 2);
    expect(share('timeout')).toBeCloseTo(0.05, 2);
    expect(share('answer_lost')).toBeCloseTo(0.03, 2);
    expect(share('rate_limit')).toBeCloseTo(0.02, 2);
    const count = (kind: string) => drawn.filter((item) => item === kind).length;
    expect(faults.random().injected).toEqual({
      server_error: count('server_error'),
      timeout: count('timeout'),
      answer_lost: count('answer_lost'),
      rate_limit: count('rate_limit'),
    });
  });

  it('repeat the same faults for the same seed', () => {
    const run = (seed: number) => {
      const faults = new FaultQueue();
      faults.setRandom({ seed, rules: [{ kind: 'server_error', rate: 0.3 }] });
      return drawMany(faults, 'graph.me', 200);
    };
    expect(run(42)).toEqual(run(42));
    expect(run(42)).not.toEqual(run(43));
  });

  it('apply a rule naming endpoints to those endpoints only', () => {
    const faults = new FaultQueue();
    faults.setRandom({
      seed: 1,
      rules: [{ kind: 'rate_limit', rate: 1, endpoints: ['ig.graph.refresh_access_token'] }],
    });
    expect(drawMany(faults, 'graph.ig.media.publish', 50).every((item) => item === undefined)).toBe(true);
    expect(drawMany(faults, 'ig.graph.refresh_access_token', 5)).toEqual(Array(5).fill('rate_limit'));
  });

  it('stop when turned off, keeping the counts until cleared', () => {
    const faults = new FaultQueue();
    faults.setRandom({ seed: 3, rules: [{ kind: 'timeout', rate: 1 }] });
    drawMany(faults, 'graph.me', 3);
    faults.setRandom(undefined);
    expect(faults.draw('graph.me')).toBeUndefined();
    expect(faults.random()).toEqual({
      settings: null,
      injected: { server_error: 0, timeout: 3, answer_lost: 0, rate_limit: 0 },
    });
    faults.clear();
    expect(faults.random().injected.timeout).toBe(0);
  });
});
