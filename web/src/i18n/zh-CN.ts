// Chinese is the platform's first language; its keys define the message schema English must match. One module per part of the platform.
import common from './zh-CN/common'
import auth from './zh-CN/auth'
import wall from './zh-CN/wall'
import consoleScreen from './zh-CN/console'
import field from './zh-CN/field'
import supervision from './zh-CN/supervision'
import assessment from './zh-CN/assessment'
import threeZeros from './zh-CN/threeZeros'
import followUps from './zh-CN/followUps'
import canvass from './zh-CN/canvass'
import riskAssessments from './zh-CN/riskAssessments'

export default { ...common, ...auth, ...wall, ...consoleScreen, ...field, ...supervision, ...assessment, ...threeZeros, ...followUps, ...canvass, ...riskAssessments }
