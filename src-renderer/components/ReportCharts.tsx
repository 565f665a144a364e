import { Bar, BarChart, CartesianGrid, LabelList, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Report } from '../../src-shared/reports/report.js';
import type { DirectoryView } from '../../src-shared/rpc/views.js';
import { specialtyLabel, useI18n } from '../lib/i18n.js';

const COLORS = { booked: '#2e7d32', refused: '#c62828', declined: '#ef6c00', cancelled: '#78909c', moved: '#1565c0', out_of_schedule: '#6a1b9a', home_visit: '#00838f' } as const;
const RESULTS = Object.keys(COLORS) as Array<keyof typeof COLORS>;
/** Charts are drawn without animation: a report is read (and printed) at once, not watched. */
const still = { isAnimationActive: false } as const;

function Chart({ title, height, children, testId }: { title: string; height: number; children: React.ReactElement; testId: string }) {
  return (
    <section className="card report-chart" data-testid={testId}>
      <h3>{title}</h3>
      <ResponsiveContainer width="100%" height={height}>
        {children}
      </ResponsiveContainer>
    </section>
  );
}

/** The head's report as charts (the figures themselves are in the tables below them, and in the files). */
export function ReportCharts({ report, directory }: { report: Report; directory: DirectoryView }) {
  const { t, lang } = useI18n();
  const doctor = (id: string) => directory.doctors.find((d) => d.id === id)?.fullName ?? id;
  const short = (name: string) => name.split(' ').slice(0, 2).join(' ');
  const channels = [...new Set(report.requests.map((r) => r.channel))];
  const requests = channels.map((ch) => ({
    name: t(`channel.${ch}`),
    ...Object.fromEntries(RESULTS.map((res) => [res, report.requests.find((r) => r.channel === ch && r.result === res)?.n ?? 0])),
  }));
  const refusals = report.refusals.map((r) => ({ name: r.reason ? t(`refusal.${r.reason}`) : r.rule ? t(`refusal.${r.rule}`) : '—', n: r.n, result: r.result }));
  const attendance = report.attendance.map((a) => ({ name: short(doctor(a.doctorId)), noShows: a.noShows, cancelled: a.cancelled, late: a.late }));
  const occupancy = report.occupancy.map((o) => ({ name: short(doctor(o.doctorId)), share: o.bookable === 0 ? 0 : Math.round((o.booked / o.bookable) * 100) }));
  const earliest = report.earliest.map((e) => ({ name: specialtyLabel(directory, e.specialtyId, lang), days: e.days ?? 0 }));
  const rowHeight = (n: number) => Math.max(120, 26 * n + 50);

  return (
    <div className="report-charts">
      <Chart title={t('ui.reportRequests')} height={rowHeight(requests.length) + 30} testId="chart-requests">
        <BarChart data={requests} layout="vertical" margin={{ left: 20 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="name" width={110} />
          <Tooltip />
          <Legend />
          {RESULTS.filter((res) => report.requests.some((r) => r.result === res)).map((res) => (
            <Bar key={res} dataKey={res} name={t(`registerResult.${res}`)} stackId="r" fill={COLORS[res]} {...still} />
          ))}
        </BarChart>
      </Chart>
      <Chart title={t('ui.reportRefusals')} height={rowHeight(refusals.length)} testId="chart-refusals">
        <BarChart data={refusals} layout="vertical" margin={{ left: 20 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="name" width={170} />
          <Tooltip />
          <Bar dataKey="n" name={t('ui.count')} fill={COLORS.refused} {...still} />
        </BarChart>
      </Chart>
      <Chart title={t('ui.reportOccupancy')} height={rowHeight(occupancy.length)} testId="chart-occupancy">
        <BarChart data={occupancy} layout="vertical" margin={{ left: 20 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" domain={[0, 100]} unit=" %" />
          <YAxis type="category" dataKey="name" width={170} />
          <Tooltip />
          <Bar dataKey="share" name={t('ui.reportShare')} unit=" %" fill={COLORS.moved} {...still}>
            <LabelList dataKey="share" position="right" formatter={(v) => `${v} %`} />
          </Bar>
        </BarChart>
      </Chart>
      <Chart title={t('ui.reportAttendance')} height={rowHeight(attendance.length) + 30} testId="chart-attendance">
        <BarChart data={attendance} layout="vertical" margin={{ left: 20 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="name" width={170} />
          <Tooltip />
          <Legend />
          <Bar dataKey="noShows" name={t('ui.reportNoShows')} fill={COLORS.refused} {...still} />
          <Bar dataKey="cancelled" name={t('ui.reportCancelled')} fill={COLORS.cancelled} {...still} />
          <Bar dataKey="late" name={t('ui.reportLate')} fill={COLORS.declined} {...still} />
        </BarChart>
      </Chart>
      <Chart title={t('ui.reportEarliest')} height={rowHeight(earliest.length)} testId="chart-earliest">
        <BarChart data={earliest} layout="vertical" margin={{ left: 20 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" allowDecimals={false} />
          <YAxis type="category" dataKey="name" width={170} />
          <Tooltip />
          {/* "0" is the best answer (free today): a sliver of a bar and the figure written by it, or nothing would show. */}
          <Bar dataKey="days" name={t('ui.reportDays')} fill={COLORS.booked} minPointSize={3} {...still}>
            <LabelList dataKey="days" position="right" />
          </Bar>
        </BarChart>
      </Chart>
    </div>
  );
}
