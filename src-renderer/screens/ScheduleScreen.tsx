import { useState } from 'react';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { AbsencesPanel } from '../components/AbsencesPanel.js';
import { DoctorsPanel } from '../components/DoctorsPanel.js';
import { QuotaPanel } from '../components/QuotaPanel.js';
import { WeekSchedulePanel } from '../components/WeekSchedulePanel.js';
import { useI18n } from '../lib/i18n.js';

type Part = 'absences' | 'doctors' | 'week' | 'quota';
const PARTS: Part[] = ['absences', 'doctors', 'week', 'quota'];
const TITLE = { absences: 'ui.absences', doctors: 'ui.doctors', week: 'ui.weeklySchedule', quota: 'ui.internetQuota' } as const;

/**
 * The head of registry's and administrator's schedule screen (004 §3.4.3: the schedule changes on
 * the head's order): doctors' absences (R8), the doctors themselves, their weekly schedules with
 * the channel shares (R7, R13, R21), and internet quotas (R7). Every change takes effect on this
 * desk at once and goes to the server, which decides it again and sends it to every desk.
 */
export function ScheduleScreen({ directory }: { directory: DirectoryView }) {
  const { t } = useI18n();
  const [part, setPart] = useState<Part>('absences');
  return (
    <div className="schedule pad">
      <nav className="subtabs" data-testid="schedule-parts">
        {PARTS.map((p) => (
          <button key={p} type="button" className={p === part ? 'chip on' : 'chip'} onClick={() => setPart(p)} data-testid={`schedule-part-${p}`}>
            {t(TITLE[p])}
          </button>
        ))}
      </nav>
      <h2>{t(TITLE[part])}</h2>
      {part === 'absences' ? (
        <AbsencesPanel directory={directory} />
      ) : part === 'doctors' ? (
        <DoctorsPanel directory={directory} />
      ) : part === 'week' ? (
        <WeekSchedulePanel directory={directory} />
      ) : (
        <QuotaPanel directory={directory} />
      )}
    </div>
  );
}
