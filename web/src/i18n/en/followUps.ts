// Satisfaction follow-ups (满意度回访): the calls to reporters after their case is closed.
import type zh from '../zh-CN/followUps'

export default {
  followUps: {
    tab: 'Follow-ups',
    count: '{count} follow-ups due',
    empty: 'No follow-ups due',
    select: 'Select a follow-up on the left, or click “Record” to enter the result of the call',
    due: 'Due {date}',
    overdue: 'Overdue',
    noReporter: 'No name given',
    record: 'Record',
    title: 'Follow-up of incident #{id}',
    reporter: 'Reporter',
    result: 'Result',
    resultRequired: 'Choose the result of the call',
    results: { satisfied: 'Satisfied', basic: 'Basically satisfied', unsatisfied: 'Not satisfied', unreachable: 'Unreachable' },
    note: 'Note',
    notePlaceholder: 'What the reporter said (optional)',
    unsatisfiedHint: '“Not satisfied” hands the case back to its centre',
    save: 'Save result',
    saved: 'Follow-up of incident #{id} recorded: {result}',
    reopened: 'Not satisfied: incident #{id} is back with its centre',
  },
} satisfies typeof zh
