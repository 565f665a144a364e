/** A slot id's parts (`doctorId@YYYY-MM-DDTHH:MM`, see slotId in generate.ts), or null when it is not one. */
export function parseSlotId(id: string): { doctorId: string; date: string; time: string } | null {
  const m = /^(.+)@(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/.exec(id);
  return m ? { doctorId: m[1]!, date: m[2]!, time: m[3]! } : null;
}
