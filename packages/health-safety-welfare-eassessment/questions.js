/* Questions for 297 Health, Safety and Welfare - eAssessment, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'hsw-employee-duty',
    text: 'Under the Health and Safety at Work etc. Act 1974, what is one of your duties as an employee?',
    options: [
      { id: 'a', text: 'To write all of the risk assessments for your department' },
      { id: 'b', text: 'To buy your own safety equipment' },
      { id: 'c', text: 'To take reasonable care of your own health and safety and that of others affected by your work' },
      { id: 'd', text: 'To enforce health and safety law in your workplace' }
    ],
    answer: 'c'
  },
  {
    id: 'hsw-hazard-risk',
    text: 'What is the difference between a hazard and a risk?',
    options: [
      { id: 'a', text: 'A hazard is something that could cause harm; a risk is how likely that harm is and how serious it could be' },
      { id: 'b', text: 'There is no difference; the words mean the same thing' },
      { id: 'c', text: 'A hazard only applies to chemicals; a risk applies to everything else' },
      { id: 'd', text: 'A risk is something that could cause harm; a hazard is how likely that harm is' }
    ],
    answer: 'a'
  },
  {
    id: 'hsw-hierarchy',
    text: 'When choosing how to control a risk, which should be considered first?',
    options: [
      { id: 'a', text: 'Issuing personal protective equipment' },
      { id: 'b', text: 'Putting up a warning sign' },
      { id: 'c', text: 'Extra training for staff' },
      { id: 'd', text: 'Removing the hazard altogether' }
    ],
    answer: 'd'
  },
  {
    id: 'hsw-spill',
    text: 'You notice a spill on a busy corridor floor. What should you do?',
    options: [
      { id: 'a', text: 'Walk around it, because cleaning is not your job' },
      { id: 'b', text: 'Warn people, make the area safe and get it cleaned up, following your local procedure' },
      { id: 'c', text: 'Cover it with paper towels and leave it' },
      { id: 'd', text: 'Wait until the end of your shift, then mention it to a colleague' }
    ],
    answer: 'b'
  },
  {
    id: 'hsw-near-miss',
    text: 'A heavy box falls from a high shelf but misses everyone. What should happen?',
    options: [
      { id: 'a', text: 'Nothing, because nobody was hurt' },
      { id: 'b', text: 'Put the box back on the shelf' },
      { id: 'c', text: 'Report it as a near miss through the incident reporting system' },
      { id: 'd', text: 'Tell the person who stacked the shelf to be more careful next time, and leave it there' }
    ],
    answer: 'c'
  }
];
