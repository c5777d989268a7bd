// 满意度回访: the calls to reporters after their case is closed.
export default {
  followUps: {
    tab: '回访',
    count: '待回访 {count} 件',
    empty: '暂无待回访的事件',
    select: '从左侧选择一件待回访的事件，或点击“记录”登记回访结果',
    due: '应回访 {date}',
    overdue: '已逾期',
    noReporter: '未留姓名',
    record: '记录',
    title: '回访事件 #{id}',
    reporter: '报事人',
    result: '回访结果',
    resultRequired: '请选择回访结果',
    results: { satisfied: '满意', basic: '基本满意', unsatisfied: '不满意', unreachable: '联系不上' },
    note: '回访备注',
    notePlaceholder: '群众的意见和建议（可不填）',
    unsatisfiedHint: '选择“不满意”将把事件重新交由综治中心处置',
    save: '保存回访结果',
    saved: '已记录事件 #{id} 的回访：{result}',
    reopened: '回访不满意，事件 #{id} 已重新交由综治中心处置',
  },
}
