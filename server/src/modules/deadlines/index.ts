/**
 * Public interface of the deadlines module: every time-bound duty is a row here; the durable
 * scheduler fires reminders, due notices and escalations, and runs the handlers of deadlines that
 * act when due (e.g. a decision coming into force).
 */
export {
  insertDeadline as scheduleDeadline,
  closeOpenDeadlines,
  closeCaseDeadlines,
  closeDeadlinesOfSource,
  deadlinesOfPerson,
  deadlinesOfCase,
  earliestOpenDueDate,
  movePersonDeadlines,
  type DeadlineRecord,
  type NewDeadline,
} from './repository.js';
export { fireDueDeadlines, onDeadlineDue, startScheduler, type DueDeadline, type DueHandler, type SchedulerHandle } from './scheduler.js';
export { workingDayOf, nextWorkingDayOf, calendarOfTenant, holidayCalendars } from './calendars.js';
export { holidaysOf, type HolidayCalendar } from './rules/working-days.js';
export { registerNotificationRoutes } from './routes.js';
