import { REFUSALS, type RefusalCode } from '../rules/decision.js';

export type ErrorCode =
  | RefusalCode
  | 'bad_input'
  | 'unknown_method'
  | 'unauthenticated'
  | 'forbidden'
  | 'bad_credentials'
  | 'not_found'
  | 'id_format'
  | 'id_length'
  | 'id_date'
  | 'id_check_digit'
  | 'unknown_reason'
  | 'internal'
  | 'unknown_profile'
  | 'printer_not_configured'
  | 'printer_path_missing'
  | 'printer_no_access'
  | 'printer_unreachable'
  | 'printer_error'
  | 'not_a_ticket'
  | 'ticket_unknown'
  | 'ticket_not_valid'
  | 'too_many_attempts'
  | 'printer_path_not_allowed'
  | 'bad_host'
  | 'cross_origin'
  | 'unsupported_media_type'
  | 'wrong_password'
  | 'password_change_required'
  | 'already_set_up'
  | 'not_set_up'
  | 'setup_on_this_pc'
  | 'enroll_refused'
  | 'server_unreachable'
  | 'hall_unreachable'
  | 'hall_refused'
  | 'kiosk_unknown';

/** HTTP status for each error: 4xx with a machine-readable code on the RPC transport. */
export function httpStatus(code: ErrorCode): number {
  switch (code) {
    case 'bad_input':
    case 'id_format':
    case 'id_length':
    case 'id_date':
    case 'id_check_digit':
    case 'id_kind_not_used':
    case 'id_mismatch':
    case 'phone_format':
    case 'address_format':
    case 'birth_date_implausible':
    case 'unknown_department':
    case 'unknown_reason':
    case 'unknown_profile':
    case 'printer_path_missing':
    case 'not_a_ticket':
    case 'printer_path_not_allowed':
      return 400;
    case 'unauthenticated':
    case 'bad_credentials':
      return 401;
    case 'forbidden':
    case 'wrong_password':
    case 'password_change_required':
    case 'bad_host':
    case 'cross_origin':
    case 'channel_not_allowed':
    case 'setup_on_this_pc':
      return 403;
    case 'unsupported_media_type':
      return 415;
    case 'too_many_attempts':
      return 429;
    case 'not_found':
    case 'kiosk_unknown':
    case 'unknown_method':
    case 'ticket_unknown':
      return 404;
    case 'printer_not_configured':
    case 'ticket_not_valid':
      return 409;
    case 'already_set_up':
    case 'not_set_up':
    case 'enroll_refused':
      return 409;
    case 'server_unreachable':
    case 'hall_unreachable':
      return 503;
    case 'hall_refused':
      return 403;
    case 'printer_no_access':
    case 'printer_unreachable':
    case 'printer_error':
      return 503;
    case 'internal':
      return 500;
    default:
      return REFUSALS[code].kind === 'policy' ? 422 : 409;
  }
}

/** The error every transport carries: a code, parameters, and the message in the caller's language. */
export interface RpcErrorBody {
  code: ErrorCode;
  message: string;
  params?: Record<string, string | number>;
  issues?: string[];
}

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params?: Record<string, string | number>,
    readonly issues?: string[],
  ) {
    super(code);
  }
}
