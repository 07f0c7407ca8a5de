/* Questions for 297 NHS Conflict Resolution - eAssessment, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'cr-warning-signs',
    text: 'Which of these is an early warning sign that a person may become aggressive?',
    options: [
      { id: 'a', text: 'Speaking quietly and asking questions about their treatment' },
      { id: 'b', text: 'Pacing, clenched fists and a raised voice' },
      { id: 'c', text: 'Asking for a copy of their appointment letter' },
      { id: 'd', text: 'Sitting in the waiting area reading a book' }
    ],
    answer: 'b'
  },
  {
    id: 'cr-first-response',
    text: 'A visitor is shouting at reception about a long wait. What should you do first?',
    options: [
      { id: 'a', text: 'Tell them to calm down or they will be asked to leave' },
      { id: 'b', text: 'Ignore them until they stop shouting' },
      { id: 'c', text: 'Acknowledge their frustration, listen, and speak calmly' },
      { id: 'd', text: 'Explain that other people have waited longer' }
    ],
    answer: 'c'
  },
  {
    id: 'cr-body-language',
    text: 'Which body language is most likely to help calm a tense conversation?',
    options: [
      { id: 'a', text: 'An open posture, standing slightly to the side, more than an arm\'s length away' },
      { id: 'b', text: 'Standing face on and close, with your arms folded' },
      { id: 'c', text: 'Pointing at the person to make your point clear' },
      { id: 'd', text: 'Standing over the person while they are seated' }
    ],
    answer: 'a'
  },
  {
    id: 'cr-withdraw',
    text: 'De-escalation is not working and you believe the risk of violence is rising. What should you do?',
    options: [
      { id: 'a', text: 'Keep trying to reason with the person, whatever happens' },
      { id: 'b', text: 'Hold the person still until help arrives' },
      { id: 'c', text: 'Move the person into a side room and close the door' },
      { id: 'd', text: 'Withdraw to a safe place and call for help using your local procedure' }
    ],
    answer: 'd'
  },
  {
    id: 'cr-after-incident',
    text: 'A patient was verbally abusive to you but nobody was hurt. What should happen next?',
    options: [
      { id: 'a', text: 'Nothing, because nobody was injured' },
      { id: 'b', text: 'Report it through the incident reporting system and use the support available' },
      { id: 'c', text: 'Mention it to a colleague at the end of the shift' },
      { id: 'd', text: 'Wait to see whether it happens again before telling anyone' }
    ],
    answer: 'b'
  }
];
