/**
 * R4: a family-medicine patient goes to their own family doctor — same day, next
 * day or any day in the horizon. When that doctor has nothing free, other family
 * doctors are offered, and booking with them needs the patient's consent.
 */
export function orderFamilyDoctors<T extends { doctorId: string; free: number }>(ownDoctorId: string | null, doctorDays: readonly T[]): Array<T & { needsConsent: boolean }> {
  const ownFree = doctorDays.some((d) => d.doctorId === ownDoctorId && d.free > 0);
  return doctorDays.filter((d) => !ownFree || d.doctorId === ownDoctorId).map((d) => ({ ...d, needsConsent: ownDoctorId !== null && d.doctorId !== ownDoctorId }));
}
