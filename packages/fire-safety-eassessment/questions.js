/* Questions for 297 Fire Safety - eAssessment, marked by shared/assessment.js. */
window.ASSESSMENT_QUESTIONS = [
  {
    id: 'fs-fire-triangle',
    text: 'Which three things does a fire need to start and keep burning?',
    options: [
      { id: 'a', text: 'Smoke, flame and heat' },
      { id: 'b', text: 'Heat, fuel and oxygen' },
      { id: 'c', text: 'Fuel, water and air' },
      { id: 'd', text: 'Oxygen, smoke and electricity' }
    ],
    answer: 'b'
  },
  {
    id: 'fs-fire-doors',
    text: 'Why must fire doors never be wedged or propped open?',
    options: [
      { id: 'a', text: 'Because they are heavy and could injure someone' },
      { id: 'b', text: 'Because it lets heat out of the ward' },
      { id: 'c', text: 'Because closed fire doors hold back fire and smoke, protecting escape routes' },
      { id: 'd', text: 'Because it sets off the fire alarm' }
    ],
    answer: 'c'
  },
  {
    id: 'fs-discover-fire',
    text: 'You discover a fire. What should you do first?',
    options: [
      { id: 'a', text: 'Raise the alarm at the nearest call point and call your site\'s emergency number' },
      { id: 'b', text: 'Finish the task you were doing' },
      { id: 'c', text: 'Open the windows to let the smoke out' },
      { id: 'd', text: 'Go back for your belongings' }
    ],
    answer: 'a'
  },
  {
    id: 'fs-horizontal-evacuation',
    text: 'What is progressive horizontal evacuation?',
    options: [
      { id: 'a', text: 'Taking everyone down in the lifts straight away' },
      { id: 'b', text: 'Staying where you are until the fire service arrives' },
      { id: 'c', text: 'Sending patients home' },
      { id: 'd', text: 'Moving people away from the fire into the next fire compartment on the same floor' }
    ],
    answer: 'd'
  },
  {
    id: 'fs-extinguisher',
    text: 'Which extinguisher must never be used on a fire involving electrical equipment?',
    options: [
      { id: 'a', text: 'Carbon dioxide (CO2)' },
      { id: 'b', text: 'Water' },
      { id: 'c', text: 'Dry powder' },
      { id: 'd', text: 'None: any extinguisher is safe on electrical fires' }
    ],
    answer: 'b'
  }
];
