import { describe, expect, it } from 'vitest';
import { ProgressBar, renderProgress } from '../../../cli/framework/progress-bar';

describe('campaign progress', () => {
  it('draws a bar on a terminal', () => {
    expect(renderProgress(3, 12, 'apologies', '', 12)).toBe('[###.........]  3/12 apologies (25%)');
  });

  it('redraws in place on a TTY and writes plain lines elsewhere', () => {
    // Prepare
    const tty: string[] = [];
    const pipe: string[] = [];

    // Act
    const onTty = new ProgressBar({ isTTY: true, columns: 80, write: (t) => tty.push(t) }, 'apologies');
    const onPipe = new ProgressBar({ isTTY: false, write: (t) => pipe.push(t) }, 'apologies');
    for (const bar of [onTty, onPipe]) {
      bar.update(1, 2);
      bar.update(2, 2, 'SENT 2');
      bar.done();
    }

    // Assess
    expect(tty[0]?.startsWith('\r\u001b[2K[')).toBe(true);
    expect(tty[0]).toMatch(/\[#+\.+\] 1\/2 apologies \(50%\)$/);
    expect(tty.at(-1)).toBe('\n');
    expect(pipe).toEqual(['1/2 apologies (50%)\n', '2/2 apologies (100%) SENT 2\n']);
  });
});
