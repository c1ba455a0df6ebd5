/**
 * Public interface of the deadlines module: every time-bound duty is a row here. This issue
 * stores them; the durable scheduler that fires reminders and escalations comes with the cases issue.
 */
export {
  insertDeadline as scheduleDeadline,
  closeOpenDeadlines,
  deadlinesOfPerson,
  movePersonDeadlines,
  type DeadlineRecord,
  type NewDeadline,
} from './repository.js';
