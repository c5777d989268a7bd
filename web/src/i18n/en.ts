// The screens' words in English, mirroring zh-CN key for key (each part is checked against its Chinese one).
import type zhCN from './zh-CN'
import common from './en/common'
import auth from './en/auth'
import wall from './en/wall'
import consoleScreen from './en/console'
import field from './en/field'
import supervision from './en/supervision'
import assessment from './en/assessment'
import threeZeros from './en/threeZeros'
import followUps from './en/followUps'
import canvass from './en/canvass'
import riskAssessments from './en/riskAssessments'

export default { ...common, ...auth, ...wall, ...consoleScreen, ...field, ...supervision, ...assessment, ...threeZeros, ...followUps, ...canvass, ...riskAssessments } satisfies typeof zhCN
