/**
 * R4 (000 §2.2): a family-medicine patient goes to their own family doctor — same day,
 * next day or any day in the horizon. On a day the own doctor has nothing free, the
 * other family doctors' times that day are offered too, and booking with them needs
 * the patient's consent; on the own doctor's free days they are not shown.
 */
export function orderFamilyDoctors<T extends { doctorId: string; date: string; free: number }>(ownDoctorId: string | null, doctorDays: readonly T[]): Array<T & { needsConsent: boolean }> {
  const ownFreeDates = new Set(doctorDays.filter((d) => d.doctorId === ownDoctorId && d.free > 0).map((d) => d.date));
  return doctorDays.filter((d) => d.doctorId === ownDoctorId || !ownFreeDates.has(d.date)).map((d) => ({ ...d, needsConsent: ownDoctorId !== null && d.doctorId !== ownDoctorId }));
}
