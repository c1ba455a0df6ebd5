/** Public interface of the appointments module: service points, invitations from cases, booking with the invitation's token, reminders. */
export { registerAppointmentRoutes, type AppointmentRouteOptions } from './routes.js';
export { APPOINTMENT_REMINDER, onAppointmentReminderDue } from './service.js';
export { createServicePoint, putService, setOpeningHours } from './service.js';
