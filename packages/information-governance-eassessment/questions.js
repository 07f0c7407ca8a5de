/* Questions for 297 Information Governance - eAssessment, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'ig-shared-login',
    text: 'A colleague\'s login is not working and they ask to use yours for a few minutes. What should you do?',
    options: [
      { id: 'a', text: 'Log in for them and let them use your session' },
      { id: 'b', text: 'Tell them your password, as long as they change nothing' },
      { id: 'c', text: 'Politely refuse and suggest they contact the IT service desk' },
      { id: 'd', text: 'Let them use it, but only for looking at records' }
    ],
    answer: 'c'
  },
  {
    id: 'ig-wrong-recipient',
    text: 'You realise you have emailed a patient\'s details to the wrong person. What should you do?',
    options: [
      { id: 'a', text: 'Report it straight away through the incident reporting process and tell your manager' },
      { id: 'b', text: 'Do nothing and hope the person does not read it' },
      { id: 'c', text: 'Delete the email from your sent items' },
      { id: 'd', text: 'Send the same email again to the right person and say nothing' }
    ],
    answer: 'a'
  },
  {
    id: 'ig-phishing',
    text: 'An unexpected email asks you to click a link urgently and confirm your password. What should you do?',
    options: [
      { id: 'a', text: 'Click the link to check whether it is genuine' },
      { id: 'b', text: 'Reply asking who sent it' },
      { id: 'c', text: 'Forward it to your colleagues as a warning' },
      { id: 'd', text: 'Do not click or reply, and report it as your organisation tells you to' }
    ],
    answer: 'd'
  },
  {
    id: 'ig-relative-record',
    text: 'Your aunt has been admitted to the hospital where you work. Can you look at her record to see how she is?',
    options: [
      { id: 'a', text: 'Yes, because you are family' },
      { id: 'b', text: 'No: you may only look at records you need for your job' },
      { id: 'c', text: 'Yes, as long as you do not tell anyone what you read' },
      { id: 'd', text: 'Yes, if you use a colleague\'s login' }
    ],
    answer: 'b'
  },
  {
    id: 'ig-minimisation',
    text: 'Which data protection principle means collecting and using only the personal information that is needed?',
    options: [
      { id: 'a', text: 'Accuracy' },
      { id: 'b', text: 'Storage limitation' },
      { id: 'c', text: 'Data minimisation' },
      { id: 'd', text: 'Accountability' }
    ],
    answer: 'c'
  }
];
