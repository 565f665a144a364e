/**
 * One organization's pushes run one after another in this process. Every writer of an organization
 * serializes on its advisory lock anyway (see lockOrg); waiting here, in memory, instead of on a
 * pooled connection blocked on that lock, leaves the connections to the other organizations — eight
 * desks of one clinic no longer hold the whole pool while the other clinics wait. Across server
 * processes the advisory lock still decides; this is only about not wasting connections.
 */
export class OrgQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(orgId: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(orgId) ?? Promise.resolve();
    const result = before.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(orgId, tail);
    // The last one out removes the organization's entry, so the map holds only organizations with work.
    void tail.then(() => {
      if (this.tails.get(orgId) === tail) this.tails.delete(orgId);
    });
    return result;
  }
}
