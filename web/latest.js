/**
 * "Only the latest request draws": each request takes a ticket before it asks, and draws its
 * answer only while no later ticket has been taken (app.js's detail panel).
 */
export function tickets() {
  let last = 0;
  return () => {
    const mine = ++last;
    /** Whether this ticket is still the latest one taken. */
    return () => mine === last;
  };
}
