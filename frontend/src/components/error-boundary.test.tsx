import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorBoundary } from './error-boundary';

let broken = true;

function Fragile() {
  if (broken) throw new TypeError('tasks.map is not a function');
  return <p>All good</p>;
}

describe('ErrorBoundary', () => {
  afterEach(() => vi.restoreAllMocks());

  it('shows a friendly screen instead of a blank page when rendering throws, and tries again', async () => {
    // React logs the caught error; the test has nothing to learn from it.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    broken = true;
    render(
      <ErrorBoundary>
        <Fragile />
      </ErrorBoundary>,
    );

    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('Something went wrong on this page.');
    expect(alert).toHaveTextContent('What you saved is safe');
    expect(alert).not.toHaveTextContent('tasks.map');
    expect(screen.getByRole('button', { name: 'Reload the page' })).toBeInTheDocument();

    broken = false;
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(screen.getByText('All good')).toBeInTheDocument();
  });
});
